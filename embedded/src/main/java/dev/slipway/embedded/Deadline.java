package dev.slipway.embedded;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or time is up: what starting a server needs, without a test library. */
final class Deadline {

    private static final Duration POLL = Duration.ofMillis(25);

    private Deadline() {
    }

    /** {@code true} once {@code condition} holds, {@code false} if it still does not after {@code timeout}. */
    static boolean await(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        return true;
    }
}
