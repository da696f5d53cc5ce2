package dev.slipway.upload.limits;

import dev.slipway.upload.api.ApiException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Counts the event streams each user holds open, so one user cannot tie up the threads and
 * connections that every user's streams share. A slot is given back exactly once, however the
 * stream ends (finished, client gone, timed out, service stopping).
 */
@Component
public class StreamSlots {

    private final LimitsProperties limits;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    StreamSlots(LimitsProperties limits) {
        this.limits = limits;
    }

    /** One held stream; {@link #close} gives the slot back, a second close does nothing. */
    public final class Slot implements AutoCloseable {

        private final String user;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Slot(String user) {
            this.user = user;
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                open.computeIfPresent(user, (name, count) -> count <= 1 ? null : count - 1);
            }
        }
    }

    /** A slot for {@code user}, or 429 with {@code Retry-After} when all of theirs are taken. */
    public Slot take(String user) {
        boolean[] granted = {false};
        open.compute(user, (name, count) -> {
            int held = count == null ? 0 : count;
            granted[0] = held < limits.maxStreamsPerUser();
            return granted[0] ? held + 1 : count;
        });
        if (!granted[0]) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too many streams", "user " + user + " already "
                    + "follows " + limits.maxStreamsPerUser() + " event streams, the most one user may hold open "
                    + "(slipway.limits.max-streams-per-user); close one and try again")
                    .withHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, limits.streamRetryAfter().toSeconds())));
        }
        return new Slot(user);
    }

    /** Streams {@code user} holds open now. */
    public int openBy(String user) {
        return open.getOrDefault(user, 0);
    }
}
