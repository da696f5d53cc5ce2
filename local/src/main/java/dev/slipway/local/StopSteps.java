package dev.slipway.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the parts of the platform step by step: the parts of one step at once, each on a thread of
 * its own, and the next step once they have all stopped or the step's deadline has passed. A part
 * that hangs thus costs its step's time, not the whole stop, and stays named in
 * {@link #stillStopping()} for whoever has to say why the stop took long.
 */
final class StopSteps {

    private static final Logger log = LoggerFactory.getLogger(StopSteps.class);

    /** Each part still stopping, with the thread stopping it (whose stack tells where it hangs). */
    private final Map<String, Thread> stopping = new ConcurrentHashMap<>();

    /** Stops {@code parts} (name to how, in order) at once; returns when all have stopped or at {@code deadline}. */
    void stop(Map<String, Runnable> parts, Instant deadline) {
        List<Thread> threads = new ArrayList<>();
        parts.forEach((name, how) -> threads.add(start(name, how)));
        for (Thread thread : threads) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            try {
                if (left > 0) {
                    thread.join(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<String> late = parts.keySet().stream().filter(stopping::containsKey).toList();
        if (!late.isEmpty()) {
            log.warn("{} still stopping at the step's deadline; going on without them", late);
        }
    }

    /** The parts whose stop has not returned yet, with the threads stopping them. */
    Map<String, Thread> stillStopping() {
        return new LinkedHashMap<>(stopping);
    }

    private Thread start(String name, Runnable how) {
        Thread thread = new Thread(() -> {
            long started = System.nanoTime();
            try {
                how.run();
                log.info("{} stopped in {} ms", name, (System.nanoTime() - started) / 1_000_000);
            } catch (RuntimeException e) {
                // the next parts must stop all the same
                log.warn("{} did not stop cleanly: {}", name, e.getMessage(), e);
            } finally {
                stopping.remove(name);
            }
        }, "stop-" + name);
        // a part that never stops must not keep the JVM alive
        thread.setDaemon(true);
        stopping.put(name, thread);
        thread.start();
        return thread;
    }
}
