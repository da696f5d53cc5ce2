package dev.slipway.events;

/** Staging failed in {@code step}; {@code request} is the input, so the stage can be replayed as it was. */
public record StageFailed(String blobUid, AppRef app, StageStep step, Failure failure, StageRequested request)
        implements EventData, FailureEvent {

    public StageFailed {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("step", step);
        Names.require("failure", failure);
        Names.require("request", request);
    }

    /** Staging of {@code request} failed in {@code step}: the request travels along, for replay. */
    public static StageFailed of(StageRequested request, StageStep step, Failure failure) {
        return new StageFailed(request.blobUid(), request.app(), step, failure, request);
    }
}
