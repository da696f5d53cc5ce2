package dev.slipway.events.spring;

/**
 * An {@link Error} (out of memory, stack overflow, a class that failed to link...) thrown while a
 * stage handled one record, carried as an exception. Spring Kafka stops the whole listener
 * container on an Error, and every later record of its partitions waits forever; an exception goes
 * to the container's error handler instead, which retries the record and then dead-letters it. So
 * the record fails, never the consumer.
 */
public class HandlerErrorException extends RuntimeException {

    public HandlerErrorException(String message, Error cause) {
        super(message, cause);
    }
}
