package dev.slipway.upload.runtime;

import dev.slipway.upload.api.ApiException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Counts the logs each user follows: each follow holds reader processes (or API connections) and
 * threads, so one user cannot tie up what every user's follows share. A slot goes back once.
 */
final class FollowSlots {

    private final int perUser;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    FollowSlots(int perUser) {
        this.perUser = perUser;
    }

    /** A slot for {@code user}, or 429 when all of theirs are taken. */
    AutoCloseable take(String user) {
        boolean[] granted = {false};
        open.compute(user, (name, count) -> {
            int held = count == null ? 0 : count;
            granted[0] = held < perUser;
            return granted[0] ? held + 1 : count;
        });
        if (!granted[0]) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too many follows", "user " + user + " already "
                    + "follows " + perUser + " logs, the most one user may (slipway.logs.max-follows-per-user); end "
                    + "one and try again").withHeader(HttpHeaders.RETRY_AFTER, "10");
        }
        AtomicBoolean held = new AtomicBoolean(true);
        return () -> {
            if (held.compareAndSet(true, false)) {
                open.computeIfPresent(user, (name, count) -> count <= 1 ? null : count - 1);
            }
        };
    }

    int openBy(String user) {
        return open.getOrDefault(user, 0);
    }
}
