package dev.slipway.upload.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts per key within a fixed window that starts with the key's first count. Bounded: at most
 * {@code capacity} keys are held, a key is forgotten when its window ends, and under pressure the
 * least used keys go first, so a flood of new names or addresses cannot grow the heap.
 */
final class WindowCounters {

    private record Window(long startNanos, AtomicInteger count) {
    }

    private final Cache<String, Window> windows;
    private final Ticker ticker;
    private final long windowNanos;

    WindowCounters(Duration window, int capacity, Ticker ticker) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a counting window must be longer than zero, was " + window);
        }
        this.ticker = ticker;
        this.windowNanos = window.toNanos();
        // the entry is written once, when its window opens: counting does not extend it
        this.windows = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(capacity).ticker(ticker).build();
    }

    /** Adds one to the key's count and answers the new count. */
    int add(String key) {
        return windows.get(key, ignored -> new Window(ticker.read(), new AtomicInteger())).count().incrementAndGet();
    }

    int count(String key) {
        Window window = windows.getIfPresent(key);
        return window == null ? 0 : window.count().get();
    }

    /** How long until the key's window ends, if it has one. */
    Optional<Duration> remaining(String key) {
        Window window = windows.getIfPresent(key);
        if (window == null) {
            return Optional.empty();
        }
        long left = window.startNanos() + windowNanos - ticker.read();
        return Optional.of(Duration.ofNanos(Math.max(left, 0)));
    }

    long size() {
        windows.cleanUp();
        return windows.estimatedSize();
    }
}
