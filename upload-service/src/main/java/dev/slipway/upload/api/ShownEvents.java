package dev.slipway.upload.api;

import dev.slipway.events.BuildSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.PushQueued;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import java.util.Map;
import java.util.TreeMap;

/**
 * Events as people and other systems see them (the push's events, SSE, audit, webhooks): a push's
 * build env values are sealed on the log, and even sealed they are no one's business outside the
 * platform, so each shows as {@link #HIDDEN}; the names stay, they say what the build was given.
 */
public final class ShownEvents {

    /** What a build env value shows as. */
    public static final String HIDDEN = "v1:hidden";

    private ShownEvents() {
    }

    public static Event<EventData> shown(Event<? extends EventData> event) {
        EventData data = event.data();
        EventData shown = data;
        if (data instanceof StageRequested request) {
            shown = hidden(request);
        } else if (data instanceof PushQueued queued) {
            shown = new PushQueued(queued.blobUid(), queued.app(), hidden(queued.request()));
        } else if (data instanceof StageFailed failed) {
            shown = new StageFailed(failed.blobUid(), failed.app(), failed.step(), failed.failure(),
                    hidden(failed.request()));
        }
        return new Event<>(event.id(), event.source(), event.time(), event.correlationId(), event.causationId(),
                event.replayOf(), event.trace(), shown);
    }

    private static StageRequested hidden(StageRequested request) {
        BuildSettings build = request.build();
        if (build == null || build.sealedEnv().isEmpty()) {
            return request;
        }
        Map<String, String> names = new TreeMap<>();
        build.sealedEnv().keySet().forEach(name -> names.put(name, HIDDEN));
        return new StageRequested(request.blobUid(), request.app(), request.builderImage(), request.settings(),
                request.previousStageId(), new BuildSettings(names, build.noCache(), build.dockerfile()));
    }
}
