package dev.slipway.cli.tracking;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.api.ApiError;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
import dev.slipway.events.FailureEvent;
import dev.slipway.events.PushSuperseded;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.kafka.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Follows a push to its end: each event as a line (or as CloudEvents JSON), then the URLs. The exit
 * code says how it ended: 0 online or superseded by a newer push of the app (named), 1 failed (with the
 * stage, reason and what to run next).
 */
public final class PushFollower {

    /** How long a follow waits for one of the user's event streams to free up. */
    private static final Duration BUSY_WAIT = Duration.ofMinutes(30);

    private PushFollower() {
    }

    /**
     * Says on stdout that a push has started: its id alone, or with {@code -o json} the JSON object
     * {@code {"pushId":"<id>"}}, so that stdout stays JSON lines from its first line on.
     */
    public static void started(CliContext context, String pushId, boolean json) {
        context.out().println(json ? EventJson.mapper().createObjectNode().put("pushId", pushId).toString() : pushId);
        context.out().flush();
    }

    public static int follow(CliContext context, SlipwayApi api, String pushId, boolean json) {
        OffsetDateTime[] start = {null};
        Predicate<Event<EventData>> print = event -> {
            if (json) {
                context.out().println(new String(EventCodec.toStructuredJson(event), StandardCharsets.UTF_8));
            } else {
                start[0] = start[0] == null ? event.time() : start[0];
                context.out().println(elapsed(start[0], event.time()) + EventLines.of(event));
            }
            context.out().flush();
            return true;
        };
        return ending(context, pushId, followOnce(context, api, pushId, print), json);
    }

    /**
     * With several API replicas, the one asked to follow may not have read the push's first event
     * yet: a 404 right after the push started is asked again for a few seconds. A user holds a few
     * event streams at once (429 beyond them): concurrent pushes of one user, as CI jobs run them,
     * wait for a stream to free up rather than fail a push that runs fine.
     */
    private static Event<EventData> followOnce(CliContext context, SlipwayApi api, String pushId,
                                               Predicate<Event<EventData>> print) {
        long notFoundDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long busyDeadline = System.nanoTime() + BUSY_WAIT.toNanos();
        boolean told = false;
        while (true) {
            try {
                return api.follow("/api/v1/pushes/" + pushId + "/events", print);
            } catch (ApiError notYet) {
                boolean missing = notYet.status() == 404 && System.nanoTime() < notFoundDeadline;
                boolean busy = notYet.status() == 429 && System.nanoTime() < busyDeadline;
                if (!missing && !busy) {
                    throw notYet;
                }
                if (busy && !told) {
                    context.err().println("All event streams of this user are in use; following push " + pushId
                            + " once one is free (the push goes on meanwhile)");
                    context.err().flush();
                    told = true;
                }
                pause(busy ? 500 + ThreadLocalRandom.current().nextLong(1500) : 200, notYet);
            }
        }
    }

    private static void pause(long millis, ApiError cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    static int ending(CliContext context, String pushId, Event<EventData> last, boolean json) {
        if (last != null && last.is(EventType.ROUTES_READY)) {
            if (!json) {
                RoutesReady ready = (RoutesReady) last.data();
                context.out().println();
                context.out().println(ready.urls().isEmpty() ? "App " + last.data().app() + " is running (no route)."
                        : "App " + last.data().app() + " is online at " + String.join(" ", ready.urls()));
                context.out().flush();
            }
            return 0;
        }
        if (last != null && last.data() instanceof PushSuperseded superseded) {
            // what the user wanted still happens: the newer push carries the app on
            if (!json) {
                context.out().println();
                context.out().println("Push " + pushId + " was superseded by push " + superseded.supersededBy()
                        + ", a newer push of app " + superseded.app() + "; follow it with: slipway events "
                        + superseded.supersededBy() + " --follow");
                context.out().flush();
            }
            return 0;
        }
        if (last != null && last.data() instanceof FailureEvent failed) {
            context.err().println("Push " + pushId + " failed at stage " + EventLines.stageOf(last) + ": "
                    + failed.failure().reason() + ": " + failed.failure().message());
            context.err().println("  inspect it: slipway push status " + pushId);
            context.err().println("  replay it:  slipway replay " + pushId
                    + (failed.failure().retryable() ? "   (the fault looked transient)" : "   (after fixing the cause)"));
            context.err().flush();
            return 1;
        }
        context.err().println("Stopped following push " + pushId + " before it ended; pick it up again with "
                + "'slipway events " + pushId + " --follow'");
        context.err().flush();
        return 1;
    }

    private static String elapsed(OffsetDateTime start, OffsetDateTime time) {
        Duration since = Duration.between(start, time);
        return String.format(java.util.Locale.ROOT, "[%5.1fs] ", Math.max(0, since.toMillis()) / 1000.0);
    }
}
