package dev.slipway.upload.status;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.BlobUploaded;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Failure;
import dev.slipway.events.PushQueued;
import dev.slipway.events.PushSuperseded;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageSucceeded;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Where one push stands, folded from its events in log order. A pure value: {@link #next} returns
 * the state after one more event.
 *
 * @param phase        uploaded, queued, staging, staged, deploying, deployed, online, failed or superseded
 * @param failedStage  staging, deploy or routing when {@code phase} is failed
 * @param supersededBy when superseded, the newer push that took this one's place
 */
public record PushState(String pushId, AppRef app, String blobUid, String phase, String image, String stageId,
                        Integer releaseRevision, List<String> urls, String failedStage, Failure failure,
                        OffsetDateTime startedAt, OffsetDateTime finishedAt, String supersededBy) {

    public static final String UPLOADED = "uploaded";
    public static final String QUEUED = "queued";
    public static final String STAGING = "staging";
    public static final String STAGED = "staged";
    public static final String DEPLOYING = "deploying";
    public static final String DEPLOYED = "deployed";
    public static final String ONLINE = "online";
    public static final String FAILED = "failed";
    public static final String SUPERSEDED = "superseded";

    public PushState {
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    /** The state a push starts in, from the event that started it. */
    public static PushState start(Event<? extends EventData> first) {
        EventData data = first.data();
        if (data instanceof PushQueued) {
            // the stage id is the push id: the id the stage request will carry once the push runs
            return new PushState(first.correlationId(), data.app(), data.blobUid(), QUEUED, null, first.correlationId(),
                    null, List.of(), null, null, first.time(), null, null);
        }
        String phase = data instanceof DeployRequested ? DEPLOYING : data instanceof BlobUploaded ? UPLOADED : STAGING;
        String image = data instanceof DeployRequested deploy ? deploy.image() : null;
        String stageId = data instanceof DeployRequested deploy ? deploy.stageId()
                : data instanceof BlobUploaded ? null : first.id();
        return new PushState(first.correlationId(), data.app(), data.blobUid(), phase, image, stageId, null, List.of(),
                null, null, first.time(), null, null);
    }

    public PushState next(Event<? extends EventData> event) {
        EventData data = event.data();
        if (data instanceof StageRequested) {
            return with(STAGING, image, null, null, null, null);  // the queued push starts, or a replay
        }
        if (data instanceof PushSuperseded superseded) {
            return new PushState(pushId, app, blobUid, SUPERSEDED, image, stageId, releaseRevision, urls, null, null,
                    startedAt, event.time(), superseded.supersededBy());
        }
        if (data instanceof StageSucceeded staged) {
            return with(STAGED, staged.image(), null, null, null, null);
        }
        if (data instanceof StageFailed failed) {
            return with(FAILED, image, null, "staging", failed.failure(), event.time());
        }
        if (data instanceof DeployRequested deploy) {
            return with(DEPLOYING, deploy.image() == null ? image : deploy.image(), null, null, null, null);
        }
        if (data instanceof AppDeployed deployed) {
            return new PushState(pushId, app, blobUid, DEPLOYED, deployed.image(), stageId,
                    deployed.releaseRevision(), urls, null, null, startedAt, null, null);
        }
        if (data instanceof DeployFailed failed) {
            return with(FAILED, image, null, "deploy", failed.failure(), event.time());
        }
        if (data instanceof RoutesReady ready) {
            return with(ONLINE, image, ready.urls(), null, null, event.time());
        }
        if (data instanceof RoutesFailed failed) {
            return with(FAILED, image, null, "routing", failed.failure(), event.time());
        }
        return this;
    }

    /**
     * Online, failed or superseded (or an upload, which is all it is): nothing more happens unless it is
     * replayed.
     */
    public boolean ended() {
        return ONLINE.equals(phase) || FAILED.equals(phase) || UPLOADED.equals(phase) || SUPERSEDED.equals(phase);
    }

    /** Staging is over, one way or the other (a superseded push never stages). */
    public boolean stagingFinished() {
        return !STAGING.equals(phase) && !QUEUED.equals(phase);
    }

    private PushState with(String nextPhase, String nextImage, List<String> nextUrls, String nextFailedStage,
                           Failure nextFailure, OffsetDateTime finished) {
        return new PushState(pushId, app, blobUid, nextPhase, nextImage, stageId, releaseRevision,
                nextUrls == null ? urls : nextUrls, nextFailedStage, nextFailure, startedAt, finished, null);
    }
}
