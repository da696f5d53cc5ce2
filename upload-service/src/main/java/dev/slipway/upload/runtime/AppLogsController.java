package dev.slipway.upload.runtime;

import dev.slipway.events.AppState;
import dev.slipway.events.EventJson;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.auth.Caller;
import dev.slipway.upload.limits.UserSlots;
import dev.slipway.upload.tracking.EventStreams;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An app's logs as Server-Sent Events ({@code log} events, one line each): its instances' output,
 * or with {@code staging=true} the build log of its last push; with {@code follow=true} new lines as
 * they come. Lines pass through a bounded queue, so a client that reads slowly holds up the reading
 * rather than filling memory; when the client goes, the reading stops (its processes are killed).
 */
@RestController
class AppLogsController {

    /** Lines waiting for a slow client; beyond it, the readers wait. */
    private static final int QUEUED_LINES = 1024;

    private final AppAccess access;
    private final AppRuntime runtime;
    private final StagingLog stagingLog;
    private final LogsProperties properties;
    private final UserSlots slots;
    private final EventStreams streams;
    private final Clock clock = Clock.systemUTC();

    AppLogsController(AppAccess access, AppRuntime runtime, StagingLog stagingLog, LogsProperties properties,
                      @Qualifier(UserSlots.LOG_FOLLOWS) UserSlots slots, EventStreams streams) {
        this.access = access;
        this.runtime = runtime;
        this.stagingLog = stagingLog;
        this.properties = properties;
        this.slots = slots;
        this.streams = streams;
    }

    @GetMapping(path = "/api/v1/namespaces/{namespace}/applications/{app}/logs",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter logs(@PathVariable String namespace, @PathVariable("app") String appName,
                    @RequestParam(required = false) String since, @RequestParam(defaultValue = "false") boolean follow,
                    @RequestParam(defaultValue = "false") boolean staging, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        Instant from = Since.parse(since, clock);
        String pushId = app.lastStageId();
        if (staging && pushId == null) {
            throw ApiException.notFound("app " + app.ref() + " has no push yet, so no build log; push it with "
                    + "'slipway push'");
        }
        AutoCloseable slot = follow ? slots.take(caller.username()) : () -> { };
        BlockingQueue<Optional<LogLine>> lines = new LinkedBlockingQueue<>(QUEUED_LINES);
        AppRuntime.LogSink sink = new AppRuntime.LogSink() {
            @Override
            public void line(LogLine line) throws InterruptedException {
                lines.put(Optional.of(line));
            }

            @Override
            public void ended() {
                lines.offer(Optional.empty());
            }
        };
        AppRuntime.LogRequest request = new AppRuntime.LogRequest(from, follow, properties.tail(),
                properties.maxLineBytes());
        AppRuntime.LogReading reading;
        try {
            reading = staging ? stagingLog.read(pushId, from, follow, properties.maxLineBytes(), sink)
                    : runtime.logs(app.ref(), request, sink);
        } catch (IOException | RuntimeException failed) {
            close(slot);
            if (failed instanceof ApiException refusal) {
                throw refusal;
            }
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "runtime unavailable", "the logs of " + app.ref()
                    + " cannot be read now (" + failed.getMessage() + "); try again later", failed);
        }
        SseEmitter emitter = new SseEmitter((follow ? properties.followTimeout() : properties.readTimeout()).toMillis());
        // the client went away, the stream timed out or ended: stop reading, wake the writer, free the slot
        Runnable stop = () -> {
            reading.close();
            lines.clear();
            lines.offer(Optional.empty());
            close(slot);
        };
        emitter.onCompletion(stop);
        emitter.onTimeout(stop);
        emitter.onError(error -> stop.run());
        if (!streams.open(() -> write(emitter, lines, stop))) {
            stop.run();
            emitter.complete();  // the service is stopping: an empty stream, to be picked up again later
        }
        return emitter;
    }

    private void write(SseEmitter emitter, BlockingQueue<Optional<LogLine>> lines, Runnable stop) {
        try {
            // the answer's status and headers leave at once, not with the first line or heartbeat of a quiet log
            emitter.send(SseEmitter.event().comment("reading"));
            while (true) {
                Optional<LogLine> next = lines.poll(properties.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    // only a write finds a closed connection: a quiet log checks so and frees its reading
                    emitter.send(SseEmitter.event().comment("waiting"));
                    continue;
                }
                if (next.isEmpty()) {
                    break;
                }
                emitter.send(SseEmitter.event().name("log").data(EventJson.mapper().writeValueAsString(
                        shown(next.get())), MediaType.APPLICATION_JSON));
            }
            emitter.complete();
        } catch (IOException | IllegalStateException clientGone) {
            try {
                emitter.completeWithError(clientGone);
            } catch (IllegalStateException alreadyEnded) {
                // the container ended the request first
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        } finally {
            stop.run();
        }
    }

    private static Map<String, Object> shown(LogLine line) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("instance", line.instance());
        shown.put("time", line.time() == null ? null : line.time().toString());
        shown.put("stream", line.stream());
        shown.put("line", line.line());
        return shown;
    }

    private static void close(AutoCloseable slot) {
        try {
            slot.close();
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
