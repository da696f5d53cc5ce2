package dev.slipway.staging.build;

/** A staging step that failed for a stated reason (a {@code ReasonCodes} code), retryable or not. */
public class StageFailure extends Exception {

    private final String reason;
    private final boolean retryable;
    private java.util.List<String> log = java.util.List.of();

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

    /** What the builder printed before failing, to be reported with the failure. */
    public StageFailure withLog(java.util.List<String> lines) {
        this.log = java.util.List.copyOf(lines);
        return this;
    }

    public java.util.List<String> log() {
        return log;
    }

    public String reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }
}
