package dev.slipway.events;

/** Routing failed (a conflict names the owning app in its message); {@code deployed} is the input. */
public record RoutesFailed(String blobUid, AppRef app, Failure failure, AppDeployed deployed)
        implements EventData, FailureEvent {

    public RoutesFailed {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("failure", failure);
        Names.require("deployed", deployed);
    }

    /** Routing the {@code deployed} app failed: the deployment travels along, for replay. */
    public static RoutesFailed of(AppDeployed deployed, Failure failure) {
        return new RoutesFailed(deployed.blobUid(), deployed.app(), failure, deployed);
    }
}
