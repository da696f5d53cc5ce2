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
}
