package dev.slipway.upload.projection;

import dev.slipway.upload.status.PushState;
import java.util.HashMap;
import java.util.Map;

/**
 * What the API asks about an app's pushes without naming one: its latest released push (a replay
 * must not undo a newer release), its latest stage request (Epinio's app status) and its stages in
 * progress. Small, one per app, so every replica holds all of them.
 *
 * @param staging    the app's pushes now staging, by push id
 * @param unfinished the app's pushes that have not ended yet (queued, staging, deploying...), by push id;
 *                   absent from summaries written before it was kept
 */
record AppPushes(PushState latestReleased, PushState lastStage, Map<String, PushState> staging,
                 Map<String, PushState> unfinished) {

    AppPushes {
        staging = staging == null ? Map.of() : Map.copyOf(staging);
        unfinished = unfinished == null ? Map.of() : Map.copyOf(unfinished);
    }

    static AppPushes none() {
        return new AppPushes(null, null, Map.of(), Map.of());
    }

    /** After one push's new state (states of one app arrive in the order they changed). */
    AppPushes with(PushState push) {
        PushState released = latestReleased;
        if (push.releaseRevision() != null && (released == null || released.pushId().equals(push.pushId())
                || !push.startedAt().isBefore(released.startedAt()))) {
            released = push;
        }
        PushState stage = lastStage;
        // a push that went through staging carries its own id as stage id (queued, or a stage request)
        if (push.pushId().equals(push.stageId()) && (stage == null || stage.pushId().equals(push.pushId())
                || !push.startedAt().isBefore(stage.startedAt()))) {
            stage = push;
        }
        Map<String, PushState> nowStaging = new HashMap<>(staging);
        if (PushState.STAGING.equals(push.phase())) {
            nowStaging.put(push.pushId(), push);
        } else {
            nowStaging.remove(push.pushId());
        }
        Map<String, PushState> nowUnfinished = new HashMap<>(unfinished);
        if (push.ended()) {
            nowUnfinished.remove(push.pushId());
        } else {
            nowUnfinished.put(push.pushId(), push);
        }
        return new AppPushes(released, stage, nowStaging, nowUnfinished);
    }
}
