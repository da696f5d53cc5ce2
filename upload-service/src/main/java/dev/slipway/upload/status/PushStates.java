package dev.slipway.upload.status;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every push's state, folded from the event log with {@link PushState#start}/{@link PushState#next},
 * each event applied once (by id). The API's own events are visible the moment they are published.
 */
public interface PushStates {

    /** The push, if this replica holds it or published it recently (requests reach the holder). */
    Optional<PushState> find(String pushId);

    /** Completes when the push's staging has succeeded or failed. */
    CompletableFuture<PushState> stagingFinished(String pushId);

    /**
     * The app's stage in progress, if any. A stage that has not finished within the staging timeout
     * no longer blocks the app: a stalled staging must not stop every later push.
     */
    Optional<PushState> activeStaging(AppRef app);

    /**
     * A push of the app that has not ended yet (queued, staging, deploying, routing), if any; like
     * {@link #activeStaging}, one older than the staging timeout no longer counts.
     */
    Optional<PushState> unfinished(AppRef app);

    /** The app's most recent push that got as far as a release, if any. */
    Optional<PushState> latestReleased(AppRef app);

    /** The push of the app's latest stage request ({@link AppState#lastStageId()}), if known. */
    Optional<PushState> lastStage(AppState app);

    /** Epinio's status fields of an app, from its latest stage request. */
    default Map<String, Object> appStatus(AppState app) {
        Map<String, Object> status = new LinkedHashMap<>();
        Optional<PushState> latest = app.lastStageId() == null ? Optional.empty() : lastStage(app);
        status.put("image_url", latest.map(PushState::image).orElse(""));
        status.put("stage_id", app.lastStageId() == null ? "" : app.lastStageId());
        status.put("status", latest.map(PushStates::appPhase).orElse("created"));
        status.put("staging_status", latest.map(push -> push.stagingFinished()
                ? (PushState.FAILED.equals(push.phase()) && "staging".equals(push.failedStage()) ? "failed" : "done")
                : "staging").orElse(""));
        latest.filter(push -> push.failure() != null)
                .ifPresent(push -> status.put("statusmessage", push.failedStage() + " failed: "
                        + push.failure().reason() + ": " + push.failure().message()));
        return status;
    }

    /** Pushes start with an upload, a stage request, a deploy request (an image push) or in the queue. */
    static boolean starts(Event<? extends EventData> event) {
        return event.is(EventType.BLOB_UPLOADED) || event.is(EventType.STAGE_REQUESTED)
                || event.is(EventType.DEPLOY_REQUESTED) || event.is(EventType.PUSH_QUEUED);
    }

    /**
     * The state after {@code event}: a push begins with its first starting event (anything before it
     * is not a push of its own) and then follows {@link PushState#next}.
     */
    static PushState fold(PushState current, Event<? extends EventData> event) {
        if (current == null) {
            return starts(event) ? PushState.start(event) : null;
        }
        return current.next(event);
    }

    private static String appPhase(PushState push) {
        return switch (push.phase()) {
            case PushState.STAGING, PushState.QUEUED -> "staging";
            case PushState.FAILED -> "error";
            case PushState.DEPLOYED, PushState.ONLINE -> "running";
            default -> "deploying";
        };
    }
}
