package dev.slipway.upload.limits;

import dev.slipway.upload.api.ApiException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Counts what each user holds open of one kind of long request (event streams, log follows, log reads), so
 * one user cannot tie up the threads, connections and readers that every user's requests of that kind share. Each
 * use has its own counter and setting. A slot is given back exactly once, however the request ends
 * (finished, client gone, timed out, service stopping).
 */
public final class UserSlots {

    /** The bean counting event streams of pushes ({@code slipway.limits.max-streams-per-user}). */
    public static final String EVENT_STREAMS = "eventStreamSlots";
    /** The bean counting follows of app logs ({@code slipway.logs.max-follows-per-user}). */
    public static final String LOG_FOLLOWS = "logFollowSlots";
    /** The bean counting reads of app logs without follow ({@code slipway.logs.max-reads-per-user}). */
    public static final String LOG_READS = "logReadSlots";

    private final int perUser;
    private final String title;
    private final Function<String, String> refusal;
    private final String retryAfterSeconds;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /**
     * @param perUser    how many one user may hold at once on this replica
     * @param retryAfter what a refusal's {@code Retry-After} says (at least a second)
     * @param title      the refusal's error title
     * @param refusal    the refusal's message for a user: what they hold, the setting that caps it, what to do
     */
    public UserSlots(int perUser, Duration retryAfter, String title, Function<String, String> refusal) {
        this.perUser = perUser;
        this.title = title;
        this.refusal = refusal;
        this.retryAfterSeconds = String.valueOf(Math.max(1, retryAfter.toSeconds()));
    }

    /** One held slot; {@link #close} gives it back, a second close does nothing. */
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
            granted[0] = held < perUser;
            // boxed: unboxing a missing count (a cap of 0) would throw instead of refusing
            return granted[0] ? Integer.valueOf(held + 1) : count;
        });
        if (!granted[0]) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, title, refusal.apply(user))
                    .withHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        return new Slot(user);
    }

    /** Slots {@code user} holds now. */
    public int openBy(String user) {
        return open.getOrDefault(user, 0);
    }
}
