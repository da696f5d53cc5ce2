package dev.slipway.local;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The last resort of a stop: if the orderly stop has not finished by the deadline, says on standard
 * error which parts did not stop (and where their threads are) and halts the JVM. Halting skips the
 * other shutdown hooks and whatever still runs; it is for a part that hangs, so that Ctrl-C always
 * ends the process in time.
 */
final class StopWatchdog {

    /** The exit status of a halted stop; 128 + 15 would claim a SIGTERM that may have been a SIGINT. */
    static final int HALT_STATUS = 3;
    private static final int FRAMES_SHOWN = 6;

    private final CountDownLatch done = new CountDownLatch(1);

    private StopWatchdog() {
    }

    /**
     * Watches a stop from now on: at {@code deadline}, unless {@link #disarm()} was called, prints
     * what {@code stillStopping} names to {@code err} and calls {@code halt} with {@link #HALT_STATUS}.
     */
    static StopWatchdog arm(Duration deadline, Supplier<Map<String, Thread>> stillStopping, PrintStream err,
                            IntConsumer halt) {
        StopWatchdog watchdog = new StopWatchdog();
        Thread thread = new Thread(() -> watchdog.watch(deadline, stillStopping, err, halt), "stop-watchdog");
        thread.setDaemon(true);
        thread.start();
        return watchdog;
    }

    /** As {@link #arm(Duration, Supplier, PrintStream, IntConsumer)}, halting this JVM. */
    static StopWatchdog arm(Duration deadline, Supplier<Map<String, Thread>> stillStopping) {
        return arm(deadline, stillStopping, System.err, status -> Runtime.getRuntime().halt(status));
    }

    /** The stop finished: nothing to do. */
    void disarm() {
        done.countDown();
    }

    private void watch(Duration deadline, Supplier<Map<String, Thread>> stillStopping, PrintStream err,
                       IntConsumer halt) {
        try {
            if (done.await(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Thread> late = stillStopping.get();
        err.println("slipway-local: the stop did not finish within " + deadline.toMillis() / 1000.0 + " s; "
                + (late.isEmpty() ? "every part had stopped, something after them had not"
                : "still stopping: " + String.join(", ", late.keySet())) + ". Halting now.");
        late.forEach((part, thread) -> {
            err.println("  " + part + " (thread " + thread.getName() + "):");
            Arrays.stream(thread.getStackTrace()).limit(FRAMES_SHOWN).forEach(frame -> err.println("    at " + frame));
        });
        err.flush();
        halt.accept(HALT_STATUS);
    }
}
