package dev.slipway.events;

/**
 * Build an image from a stored blob. The id of this event is the push id and the stage id.
 *
 * @param builderImage    builder image asked for by the push, or null for the configured default
 * @param previousStageId the app's last successful stage, for layer reuse, or null
 * @param build           build env, cache and Dockerfile asked for by the push, or null for none (also
 *                        in events written before builds had settings): read it through {@link #buildOrNone()}
 */
public record StageRequested(String blobUid, AppRef app, String builderImage, AppSettings settings,
                             String previousStageId, BuildSettings build) implements EventData {

    public StageRequested {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("settings", settings);
    }

    /** A request with no build settings of its own. */
    public StageRequested(String blobUid, AppRef app, String builderImage, AppSettings settings,
                          String previousStageId) {
        this(blobUid, app, builderImage, settings, previousStageId, null);
    }

    /** The push's build settings, {@link BuildSettings#NONE} when it asked for nothing. */
    public BuildSettings buildOrNone() {
        return BuildSettings.orNone(build);
    }
}
