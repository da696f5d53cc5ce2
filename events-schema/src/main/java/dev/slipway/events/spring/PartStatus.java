package dev.slipway.events.spring;

/**
 * Whether one consuming part of a service (a binding's listener container, a topic follower, a
 * webhook worker) does its job, for the {@code consumers} health check.
 *
 * @param part   what the part is, e.g. {@code follower of slipway.apps}
 * @param up     false when it has stopped while it should run
 * @param detail its state in words: {@code running}, or why it stopped
 */
public record PartStatus(String part, boolean up, String detail) {

    public static PartStatus running(String part) {
        return new PartStatus(part, true, "running");
    }

    /** Not consuming now, and that is in order (starting, restarting, stopping with the application). */
    public static PartStatus idle(String part, String why) {
        return new PartStatus(part, true, why);
    }

    public static PartStatus stopped(String part, String why) {
        return new PartStatus(part, false, why);
    }

    /** A Throwable in a few words, for a detail or a log line. */
    static String describe(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}
