package dev.slipway.events;

/**
 * Why a stage failed: a stable reason code for machines (see {@link ReasonCodes}), a message for
 * people that says what to do next, and whether running the same input again may succeed.
 */
public record Failure(String reason, String message, boolean retryable) {

    public Failure {
        Names.require("failure reason", reason);
        Names.require("failure message", message);
        if (!reason.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("failure reason '" + reason + "' must be UPPER_SNAKE_CASE");
        }
    }
}
