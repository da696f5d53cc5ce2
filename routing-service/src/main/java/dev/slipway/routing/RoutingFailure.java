package dev.slipway.routing;

/** Routing refused for a stated reason (a {@code ReasonCodes} code); retrying the same input will not help. */
public class RoutingFailure extends Exception {

    private final String reason;

    public RoutingFailure(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
