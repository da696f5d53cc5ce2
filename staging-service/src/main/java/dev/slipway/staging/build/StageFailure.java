package dev.slipway.staging.build;

/** A staging step that failed for a stated reason (a {@code ReasonCodes} code), retryable or not. */
public class StageFailure extends Exception {

    private final String reason;
    private final boolean retryable;

    public StageFailure(String reason, String message, boolean retryable) {
        super(message);
        this.reason = reason;
        this.retryable = retryable;
    }

    public StageFailure(String reason, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.retryable = retryable;
    }

    public String reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }
}
