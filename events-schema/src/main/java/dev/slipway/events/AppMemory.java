package dev.slipway.events;

/**
 * An app's memory: what a push may ask for ({@link AppSettings#memoryMb()}). upload-service refuses a
 * value above the cap when it is set; deploy-service checks it again before it starts anything, as
 * events may come from a replay or from a service configured otherwise.
 */
public final class AppMemory {

    /** The setting both services read: the most memory one instance of an app may ask for. */
    public static final String MAX_PROPERTY = "slipway.apps.max-memory";
    /** Its default, as Spring reads a data size. */
    public static final String DEFAULT_MAX = "2GB";
    /** Less than this starts no runtime worth the name (podman refuses below 6 MB). */
    public static final int MIN_MB = 16;

    private AppMemory() {
    }

    /** Why {@code memoryMb} is refused under a cap of {@code maxMb}, or null when it is within it. */
    public static String refusal(int memoryMb, long maxMb) {
        if (memoryMb < MIN_MB) {
            return "memory must be at least " + MIN_MB + " MB, was " + memoryMb + " MB";
        }
        if (memoryMb > maxMb) {
            return "memory " + memoryMb + " MB is above this platform's cap of " + maxMb + " MB per instance ("
                    + MAX_PROPERTY + ")";
        }
        return null;
    }
}
