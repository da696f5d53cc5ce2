package dev.slipway.upload.eventlog;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.BlobUploaded;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.PushQueued;
import dev.slipway.events.StageRequested;
import dev.slipway.events.TraceContext;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.EventSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.stereotype.Component;

/**
 * Starts pipeline runs: a queued push for pushed source (its correlation id is the push id), a deploy
 * request for an image push (its id is the push id), and records uploads. The call returns only once the broker
 * has the event, so a push id handed to a user always exists. The API's own view of pushes takes
 * the event at once, without waiting to read it back from the log. Each push is one W3C trace, started
 * here: it continues the trace of the request's client ({@link ClientTrace}), and the answer says its
 * {@code traceparent}.
 */
@Component
public class PushRequests {

    private final StreamBridge streamBridge;
    private final EventSource source;
    private final List<ReadModel> readModels;

    PushRequests(StreamBridge streamBridge, EventSource source, List<ReadModel> readModels) {
        this.streamBridge = streamBridge;
        this.source = source;
        this.readModels = List.copyOf(readModels);
    }

    public Event<StageRequested> requestStage(StageRequested request) {
        return publishStart(Event.start(source.uri(), request, ClientTrace.ofCurrentRequest()));
    }

    /**
     * Accepts a source push into its app's queue, which issues {@code request} as the push's stage request
     * once the app is free. The push id (this event's correlation id) is a fresh id that the stage request
     * will carry as its own.
     */
    public Event<PushQueued> queuePush(StageRequested request) {
        String pushId = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        return publishStart(new Event<>(id, source.uri(), now, pushId, id, null,
                TraceContext.startUnder(ClientTrace.ofCurrentRequest(), id),
                new PushQueued(request.blobUid(), request.app(), request)));
    }

    public Event<DeployRequested> requestDeploy(DeployRequested request) {
        return publishStart(Event.start(source.uri(), request, ClientTrace.ofCurrentRequest()));
    }

    public Event<AppDeleted> recordDeletion(AppDeleted deletion) {
        return publishStart(Event.start(source.uri(), deletion, ClientTrace.ofCurrentRequest()));
    }

    public Event<BlobUploaded> recordUpload(BlobUploaded upload) {
        return publishStart(Event.start(source.uri(), upload, ClientTrace.ofCurrentRequest()));
    }

    /** Issues a recorded event again (see {@link Event#replay}); the push carries on from it, in its trace. */
    public <T extends EventData> Event<T> replay(Event<T> recorded, T data) {
        return publishStart(recorded.replay(source.uri(), data));
    }

    private <T extends EventData> Event<T> publishStart(Event<T> event) {
        Event<T> published = publish(event);
        ClientTrace.answer(published.trace());
        return published;
    }

    private <T extends EventData> Event<T> publish(Event<T> event) {
        if (!streamBridge.send(Topics.EVENTS, event)) {
            throw new IllegalStateException("the event log did not accept " + event.type().type() + " " + event.id());
        }
        readModels.forEach(model -> model.apply(event));
        return event;
    }
}
