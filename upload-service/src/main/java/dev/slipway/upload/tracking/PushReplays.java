package dev.slipway.upload.tracking;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageRequested;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.eventlog.PushRequests;
import dev.slipway.upload.status.PushState;
import dev.slipway.upload.status.PushStates;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Replays a stage of a push from the input it was given, as recorded on the event log: a new event
 * id, the same key and push id, {@code replayof} naming the original. The stage's service cannot
 * tell a replay from a first request, so the push carries on as if the stage had just been asked for.
 * The input of a stage that gave up on a transient fault is also what was dead-lettered, so this is
 * how dead-lettered records are replayed too.
 */
@Component
public class PushReplays {

    /** The events each stage consumes; the latest one recorded in the push is its input. */
    private static final Map<String, Set<EventType>> INPUTS = Map.of(
            "staging", Set.of(EventType.STAGE_REQUESTED),
            "deploy", Set.of(EventType.STAGE_SUCCEEDED, EventType.DEPLOY_REQUESTED),
            "routing", Set.of(EventType.APP_DEPLOYED));

    private final EventHistory history;
    private final PushRequests requests;
    private final PushStates pushes;
    private final AppAccess access;

    PushReplays(EventHistory history, PushRequests requests, PushStates pushes, AppAccess access) {
        this.history = history;
        this.requests = requests;
        this.pushes = pushes;
        this.access = access;
    }

    public record Replayed(String stage, Event<?> event) {
    }

    public Replayed replay(PushState push, String stage, String builderImage) {
        if (stage == null && !PushState.FAILED.equals(push.phase())) {
            throw new ApiException(HttpStatus.CONFLICT, "nothing to replay", "push " + push.pushId() + " is "
                    + push.phase() + ", not failed; name a stage (staging, deploy, routing) to run it again anyway");
        }
        if (!push.ended()) {
            throw new ApiException(HttpStatus.CONFLICT, "push in progress", "push " + push.pushId() + " is "
                    + push.phase() + "; wait for it to end (follow GET /api/v1/pushes/" + push.pushId() + "/events)");
        }
        String replayed = stage != null ? stage : push.failedStage();
        Set<EventType> inputs = INPUTS.get(replayed);
        if (inputs == null) {
            throw ApiException.unprocessable("stage '" + replayed + "' is not one of staging, deploy, routing");
        }
        if (!"staging".equals(replayed)) {
            // an older push's release or routes would replace what a newer push put in place
            pushes.latestReleased(push.app()).filter(latest -> !latest.pushId().equals(push.pushId())
                    && latest.startedAt().isAfter(push.startedAt())).ifPresent(newer -> {
                        throw new ApiException(HttpStatus.CONFLICT, "a newer push exists", "push " + newer.pushId()
                                + " released app " + push.app() + " after this one; replaying this push's "
                                + replayed + " would undo it. Push again, or roll back with POST "
                                + ".../applications/" + push.app().name() + "/rollback");
                    });
        }
        if (builderImage != null && !"staging".equals(replayed)) {
            throw ApiException.unprocessable("builderImage only applies to the staging stage");
        }
        // a namespace reserved since the push, or an override the pusher could not have pushed
        access.requireUnreserved(push.app().namespace());
        if (builderImage != null) {
            access.requireAllowedBuilder(builderImage);
        }
        List<Event<EventData>> events = history.ofPush(push.pushId());
        Event<EventData> input = null;
        for (Event<EventData> event : events) {
            if (inputs.contains(event.type())) {
                input = event;
            }
        }
        if (input == null) {
            throw new ApiException(HttpStatus.CONFLICT, "nothing to replay", "push " + push.pushId()
                    + " never reached the " + replayed + " stage");
        }
        EventData data = input.data();
        if (builderImage != null && data instanceof StageRequested staging) {
            // the rest of the request as it was: build env, cache and Dockerfile replay with it
            data = new StageRequested(staging.blobUid(), staging.app(), builderImage, staging.settings(),
                    staging.previousStageId(), staging.build());
        }
        return new Replayed(replayed, requests.replay(input, data));
    }
}
