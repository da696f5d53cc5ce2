package dev.slipway.upload.tracking;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Failure;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.api.ShownEvents;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.auth.Caller;
import dev.slipway.upload.limits.UserSlots;
import dev.slipway.upload.status.PushState;
import dev.slipway.upload.status.PushStates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * Slipway's own view of a push: its state and ordered events, a live stream of them, and replay of
 * a stage from its recorded input.
 */
@RestController
class PushesController {

    private final PushStates pushes;
    private final EventHistory history;
    private final AppAccess access;
    private final PushReplays replays;
    private final Duration streamTimeout;
    private final EventStreams streams;
    private final UserSlots slots;
    private final Duration heartbeat;

    PushesController(PushStates pushes, EventHistory history, AppAccess access, PushReplays replays,
                     @Value("${slipway.pushes.stream-timeout:30m}") Duration streamTimeout, EventStreams streams,
                     @Qualifier(UserSlots.EVENT_STREAMS) UserSlots slots, @Value("${slipway.pushes.stream-heartbeat:15s}") Duration heartbeat) {
        this.pushes = pushes;
        this.history = history;
        this.access = access;
        this.replays = replays;
        this.streamTimeout = streamTimeout;
        this.streams = streams;
        this.slots = slots;
        this.heartbeat = heartbeat;
    }

    record FailureView(String stage, String reason, String message, boolean retryable) {
    }

    record PushView(String id, Map<String, String> app, String state, FailureView failure, String image,
                    String stageId, Integer releaseRevision, List<String> urls, OffsetDateTime startedAt,
                    OffsetDateTime finishedAt, String traceId, List<JsonNode> events) {
    }

    record ReplayRequest(String stage, String builderImage) {
    }

    record ReplayView(String id, String pushId, String stage, String type, String replayOf) {
    }

    @GetMapping("/api/v1/pushes/{pushId}")
    PushView push(@PathVariable String pushId, Caller caller) {
        PushState push = visible(pushId, caller);
        Failure failure = push.failure();
        List<Event<EventData>> events = history.ofPush(pushId);
        // every event of a push is in its trace; the first names it
        String traceId = events.isEmpty() ? null : events.get(0).trace().traceId();
        return new PushView(push.pushId(), Map.of("namespace", push.app().namespace(), "name", push.app().name()),
                push.phase(), failure == null ? null : new FailureView(push.failedStage(), failure.reason(),
                        failure.message(), failure.retryable()),
                push.image(), push.stageId(), push.releaseRevision(), push.urls(), push.startedAt(),
                push.finishedAt(), traceId, EventViews.of(events));
    }

    /**
     * The push's events as Server-Sent Events: what happened so far, then each new one as it comes,
     * each once and in order; the stream ends with the push (its URLs or a failure). Each open stream
     * holds one of its user's stream slots (429 when none is free), given back however it ends.
     */
    @GetMapping(path = "/api/v1/pushes/{pushId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable String pushId, Caller caller) {
        visible(pushId, caller);
        UserSlots.Slot slot = slots.take(caller.username());
        try {
            SseEmitter emitter = new SseEmitter(streamTimeout.toMillis());
            BlockingQueue<Optional<Event<EventData>>> later = new LinkedBlockingQueue<>();
            Consumer<Event<EventData>> follower = event -> later.add(Optional.of(event));
            List<Event<EventData>> sofar = history.follow(pushId, follower);
            // the client went away or the stream timed out: stop following, wake the streaming thread, free the slot
            Runnable stop = () -> {
                history.unfollow(pushId, follower);
                later.add(Optional.empty());
                slot.close();
            };
            emitter.onCompletion(stop);
            emitter.onTimeout(stop);
            emitter.onError(error -> stop.run());
            if (!streams.open(() -> stream(emitter, sofar, later, stop))) {
                stop.run();
                emitter.complete();  // the service is stopping: an empty stream, to be picked up again later
            }
            return emitter;
        } catch (RuntimeException failed) {
            slot.close();
            throw failed;
        }
    }

    /**
     * Issues the recorded input of the failed stage (or of {@code stage}) again; the answer names the
     * new event. 409 when there is nothing to replay.
     */
    @PostMapping("/api/v1/pushes/{pushId}/replay")
    ResponseEntity<ReplayView> replay(@PathVariable String pushId, @RequestBody(required = false) ReplayRequest request,
                                      Caller caller) {
        PushState push = visible(pushId, caller);
        ReplayRequest asked = request == null ? new ReplayRequest(null, null) : request;
        PushReplays.Replayed replayed = replays.replay(push, asked.stage(), asked.builderImage());
        Event<?> event = replayed.event();
        return ResponseEntity.accepted().body(new ReplayView(event.id(), pushId, replayed.stage(),
                event.type().type(), event.replayOf()));
    }

    private void stream(SseEmitter emitter, List<Event<EventData>> sofar,
                        BlockingQueue<Optional<Event<EventData>>> later, Runnable stop) {
        try {
            Event<EventData> last = null;
            // a live event may also be among those so far (it reached the history meanwhile): once each
            Set<String> sent = new HashSet<>();
            for (Event<EventData> event : sofar) {
                if (sent.add(event.id())) {
                    send(emitter, event);
                    last = event;
                }
            }
            // so far includes a failure followed by a replay: the push goes on
            while (last == null || !EventHistory.ends(last)) {
                Optional<Event<EventData>> next = later.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    // a quiet push: a comment line finds out whether the client is still there, as only
                    // a write notices a closed connection, and so frees its slot (the emitter's timeout ends it)
                    emitter.send(SseEmitter.event().comment("waiting"));
                    continue;
                }
                if (next.isEmpty()) {
                    break;
                }
                if (!sent.add(next.get().id())) {
                    continue;
                }
                send(emitter, next.get());
                last = next.get();
            }
            emitter.complete();
        } catch (IOException | IllegalStateException clientGone) {
            endAfterFailedWrite(emitter, clientGone);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        } finally {
            stop.run();
        }
    }

    /**
     * A failed write is the client gone. The container usually notices it too and ends the request on
     * its own thread; ending it here as well is then refused (Tomcat throws once its error handling
     * has run), which is no fault: the stream has ended either way.
     */
    private static void endAfterFailedWrite(SseEmitter emitter, Exception clientGone) {
        try {
            emitter.completeWithError(clientGone);
        } catch (IllegalStateException alreadyEnded) {
            // the container ended the request first
        }
    }

    private static void send(SseEmitter emitter, Event<EventData> event) throws IOException {
        emitter.send(SseEmitter.event().id(event.id()).name(event.type().type())
                .data(new String(EventCodec.toStructuredJson(ShownEvents.shown(event)), StandardCharsets.UTF_8), MediaType.APPLICATION_JSON));
    }

    /** 404 both for unknown pushes and pushes of namespaces the caller cannot see, to not reveal them. */
    private PushState visible(String pushId, Caller caller) {
        return pushes.find(pushId).filter(push -> caller.canAccess(push.app().namespace()))
                .orElseThrow(() -> ApiException.notFound("no push " + pushId + "; push ids are printed by "
                        + "'slipway push' and listed by GET /api/v1/events"));
    }
}
