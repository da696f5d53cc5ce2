package dev.slipway.events;

/**
 * Build an image from a stored blob. The id of this event is the push id and the stage id.
 *
 * @param builderImage    builder image asked for by the push, or null for the configured default
 * @param previousStageId the app's last successful stage, for layer reuse, or null
 */
public record StageRequested(String blobUid, AppRef app, String builderImage, AppSettings settings,
                             String previousStageId) implements EventData {

    public StageRequested {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("settings", settings);
    }
}
