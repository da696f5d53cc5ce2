package dev.slipway.deploy.pipeline;

/** A deploy that failed for a stated reason (a {@code ReasonCodes} code), retryable or not. */
public class DeployFailure extends Exception {

    private final String reason;
    private final boolean retryable;

    public DeployFailure(String reason, String message, boolean retryable, Throwable cause) {
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
