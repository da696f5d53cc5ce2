package dev.slipway.events;

/**
 * A record that is not a valid Slipway event: a missing CloudEvents attribute or extension, an
 * unknown type, or data that does not fit its type. Such a record is a poison record: consumers
 * send it to the dead-letter topic instead of retrying it.
 */
public class EventFormatException extends RuntimeException {

    public EventFormatException(String message) {
        super(message);
    }

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
