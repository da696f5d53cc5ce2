package dev.slipway.upload.eventlog;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.BlobUploaded;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.StageRequested;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.EventSource;
import java.util.List;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.stereotype.Component;

/**
 * Starts pipeline runs: a stage request for pushed source, a deploy request for an image push, and
 * records uploads. The returned event's id is the push id, and the call returns only once the broker
 * has the event, so a push id handed to a user always exists. The API's own view of pushes takes
 * the event at once, without waiting to read it back from the log.
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
        return publish(Event.start(source.uri(), request));
    }

    public Event<DeployRequested> requestDeploy(DeployRequested request) {
        return publish(Event.start(source.uri(), request));
    }

    public Event<AppDeleted> recordDeletion(AppDeleted deletion) {
        return publish(Event.start(source.uri(), deletion));
    }

    public Event<BlobUploaded> recordUpload(BlobUploaded upload) {
        return publish(Event.start(source.uri(), upload));
    }

    /** Issues a recorded event again (see {@link Event#replay}); the push carries on from it. */
    public <T extends EventData> Event<T> replay(Event<T> recorded, T data) {
        return publish(recorded.replay(source.uri(), data));
    }

    private <T extends EventData> Event<T> publish(Event<T> event) {
        if (!streamBridge.send(Topics.EVENTS, event)) {
            throw new IllegalStateException("the event log did not accept " + event.type().type() + " " + event.id());
        }
        readModels.forEach(model -> model.apply(event));
        return event;
    }
}
