package dev.slipway.events;

/**
 * Deploy an image (an image-only push, a redeploy) or roll back. For an image push the id of this
 * event is the push id; {@code stageId} names the stage that built the image, if any.
 *
 * @param image    the image to run; required for {@link DeployAction#DEPLOY}
 * @param revision the release revision to roll back to; null means the previous one
 * @param change   the day-2 change this deploy carries out (scale, restart, env, routes), or null
 */
public record DeployRequested(String blobUid, AppRef app, DeployAction action, String stageId, String image,
                              Integer revision, AppSettings settings, DeployChange change) implements EventData {

    public DeployRequested {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("action", action);
        Names.require("settings", settings);
        if (action == DeployAction.DEPLOY) {
            Names.require("image", image);
        }
        if (revision != null && revision < 1) {
            throw new IllegalArgumentException("revision must be 1 or more, was " + revision);
        }
        if (change != null && action != DeployAction.DEPLOY) {
            throw new IllegalArgumentException("a " + change.wireName() + " change deploys; it cannot " + action.wireName());
        }
    }

    /** A deploy or rollback that is no day-2 change. */
    public DeployRequested(String blobUid, AppRef app, DeployAction action, String stageId, String image,
                           Integer revision, AppSettings settings) {
        this(blobUid, app, action, stageId, image, revision, settings, null);
    }
}
