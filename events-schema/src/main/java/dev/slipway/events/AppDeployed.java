package dev.slipway.events;

/** The release is installed and its rollout finished with {@code readyInstances} of {@code desiredInstances}. */
public record AppDeployed(String blobUid, AppRef app, String stageId, String image, int releaseRevision,
                          int readyInstances, int desiredInstances, AppSettings settings) implements EventData {

    public AppDeployed {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("image", image);
        Names.require("settings", settings);
        if (releaseRevision < 1) {
            throw new IllegalArgumentException("releaseRevision must be 1 or more, was " + releaseRevision);
        }
    }
}
