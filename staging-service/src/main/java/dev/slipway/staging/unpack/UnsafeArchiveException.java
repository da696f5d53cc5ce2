package dev.slipway.staging.unpack;

/** An archive refused for a stated reason; {@code reason} is a code from {@code ReasonCodes}. */
public class UnsafeArchiveException extends Exception {

    private final String reason;

    public UnsafeArchiveException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public UnsafeArchiveException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
