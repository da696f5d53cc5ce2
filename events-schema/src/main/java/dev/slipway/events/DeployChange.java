package dev.slipway.events;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The day-2 change a deploy request carries out on an app that already runs (the same image with
 * new settings), so a push's history says why it ran. Absent on image pushes and rollbacks.
 */
public enum DeployChange {
    /** Other instances. */
    SCALE,
    /** Every instance replaced by a fresh one, image and settings unchanged. */
    RESTART,
    /** Env vars set or unset: a new configuration version. */
    ENV,
    /** Custom routes added or removed. */
    ROUTES;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
