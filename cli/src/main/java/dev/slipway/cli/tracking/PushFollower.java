package dev.slipway.cli.tracking;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.api.ApiError;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.FailureEvent;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.kafka.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.Predicate;

/**
 * Follows a push to its end: each event as a line (or as CloudEvents JSON), then the URLs. The exit
 * code says how it ended: 0 online, 1 failed (with the stage, reason and what to run next).
 */
public final class PushFollower {

    private PushFollower() {
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
        return ending(context, pushId, followOnce(api, pushId, print), json);
    }

    /**
     * With several API replicas, the one asked to follow may not have read the push's first event
     * yet: a 404 right after the push started is asked again for a few seconds.
     */
    private static Event<EventData> followOnce(SlipwayApi api, String pushId, Predicate<Event<EventData>> print) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try {
                return api.follow("/api/v1/pushes/" + pushId + "/events", print);
            } catch (ApiError notYet) {
                if (notYet.status() != 404 || System.nanoTime() > deadline) {
                    throw notYet;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw notYet;
                }
            }
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
