package dev.slipway.events;

/** The deploy failed; {@code request} is the input, so it can be replayed as it was. */
public record DeployFailed(String blobUid, AppRef app, Failure failure, DeployRequested request)
        implements EventData, FailureEvent {

    public DeployFailed {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("failure", failure);
        Names.require("request", request);
    }

    /** The deploy {@code request} failed: it travels along, for replay. */
    public static DeployFailed of(DeployRequested request, Failure failure) {
        return new DeployFailed(request.blobUid(), request.app(), failure, request);
    }
}
