package dev.slipway.upload.runtime;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageLogged;
import dev.slipway.upload.tracking.EventHistory;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The build log of a push: the lines of its {@code stage.logged} events, as the push's history holds
 * them; with {@code follow}, also those still to come, until its staging ends (succeeded, failed, or
 * superseded). Each line is named by its staging step and cleaned like an app's.
 */
@Component
class StagingLog {

    private final EventHistory history;

    StagingLog(EventHistory history) {
        this.history = history;
    }

    AppRuntime.LogReading read(String pushId, Instant since, boolean follow, int maxLineBytes,
                               AppRuntime.LogSink sink) {
        // the follower is called on the history's own thread: it only queues, the reader does the rest
        BlockingQueue<Event<EventData>> later = new LinkedBlockingQueue<>();
        Consumer<Event<EventData>> follower = later::add;
        List<Event<EventData>> sofar = follow ? history.follow(pushId, follower) : history.ofPush(pushId);
        Thread reader = new Thread(() -> {
            Set<String> seen = new HashSet<>();
            try {
                boolean ended = false;
                for (Event<EventData> event : sofar) {
                    ended |= pass(event, seen, since, maxLineBytes, sink);
                }
                while (follow && !ended) {
                    ended = pass(later.take(), seen, since, maxLineBytes, sink);
                }
                sink.ended();
            } catch (InterruptedException closed) {
                Thread.currentThread().interrupt();
            } finally {
                if (follow) {
                    history.unfollow(pushId, follower);
                }
            }
        }, "staging-log");
        reader.setDaemon(true);
        reader.start();
        return () -> {
            reader.interrupt();
            if (follow) {
                history.unfollow(pushId, follower);
            }
        };
    }

    /** Passes the event's lines on (once per event); true when it ends the push's staging. */
    private static boolean pass(Event<EventData> event, Set<String> seen, Instant since, int maxLineBytes,
                                AppRuntime.LogSink sink) throws InterruptedException {
        if (!seen.add(event.id())) {
            return false;
        }
        if (event.data() instanceof StageLogged logged && (since == null || !event.time().toInstant().isBefore(since))) {
            for (String line : logged.lines()) {
                sink.line(new LogLine(logged.step().wireName(), event.time().toInstant(), "build",
                        LogText.clean(line, false, maxLineBytes)));
            }
        }
        return ends(event);
    }

    /** Staging is over once the image is built, or the push failed or was superseded. */
    static boolean ends(Event<? extends EventData> event) {
        return event.is(EventType.STAGE_SUCCEEDED) || EventHistory.ends(event);
    }
}
