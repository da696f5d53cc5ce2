package dev.slipway.deploy.local;

import dev.slipway.events.AppMemory;

/**
 * What one instance may use: memory (swap included, so the limit is hard) and processes. An app over
 * its memory is killed by the kernel (exit 137) and a fork bomb gets "can't fork" inside its own
 * container; neither reaches the platform or other apps.
 */
record AppLimits(long memoryBytes, int pids) {

    static final long MB = 1024 * 1024;
    /** The platform's floor for any app, also what an operator may set as the default. */
    static final long MIN_MEMORY = AppMemory.MIN_MB * MB;

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
