package dev.slipway.deploy.local;

/**
 * What one instance may use: memory (swap included, so the limit is hard) and processes. An app over
 * its memory is killed by the kernel (exit 137) and a fork bomb gets "can't fork" inside its own
 * container; neither reaches the platform or other apps.
 */
record AppLimits(long memoryBytes, int pids) {

    static final long MB = 1024 * 1024;
    /** podman refuses less than 6 MB; below that, no app starts anyway. */
    static final long MIN_MEMORY = 6 * MB;

    AppLimits {
        if (memoryBytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memory must be at least " + MIN_MEMORY / MB + " MB, was "
                    + memoryBytes + " bytes");
        }
        if (pids < 1) {
            throw new IllegalArgumentException("pids must be 1 or more, was " + pids);
        }
    }

    /** For {@code podman run --memory}: whole megabytes, rounded up. */
    String memoryFlag() {
        return ((memoryBytes + MB - 1) / MB) + "m";
    }

    String describe() {
        return memoryFlag().replace("m", " MB") + " of memory, " + pids + " processes";
    }
}
