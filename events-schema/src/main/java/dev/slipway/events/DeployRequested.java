package dev.slipway.events;

/**
 * Deploy an image (an image-only push, a redeploy) or roll back. For an image push the id of this
 * event is the push id; {@code stageId} names the stage that built the image, if any.
 *
 * @param image    the image to run; required for {@link DeployAction#DEPLOY}
 * @param revision the release revision to roll back to; null means the previous one
 */
public record DeployRequested(String blobUid, AppRef app, DeployAction action, String stageId, String image,
                              Integer revision, AppSettings settings) implements EventData {

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
    }
}
