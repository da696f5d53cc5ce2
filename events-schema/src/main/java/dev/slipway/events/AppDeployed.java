package dev.slipway.events;

import java.util.List;

/**
 * The release is installed and its rollout finished with {@code readyInstances} of
 * {@code desiredInstances}.
 *
 * @param endpoints where the instances answer ({@code host:port}), for a router that sends traffic
 *                  to them directly (local mode); empty on Kubernetes, where the app's Service is the
 *                  target
 */
public record AppDeployed(String blobUid, AppRef app, String stageId, String image, int releaseRevision,
                          int readyInstances, int desiredInstances, AppSettings settings, List<String> endpoints)
        implements EventData {

    /** Deployed behind a Service: no endpoints of its own to name. */
    public AppDeployed(String blobUid, AppRef app, String stageId, String image, int releaseRevision,
                       int readyInstances, int desiredInstances, AppSettings settings) {
        this(blobUid, app, stageId, image, releaseRevision, readyInstances, desiredInstances, settings, List.of());
    }

    public AppDeployed {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("image", image);
        Names.require("settings", settings);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        if (releaseRevision < 1) {
            throw new IllegalArgumentException("releaseRevision must be 1 or more, was " + releaseRevision);
        }
    }
}
