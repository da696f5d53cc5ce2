package dev.slipway.events;

import java.util.Map;

/**
 * The image was built and pushed: {@code image} is {@code <registry>/<namespace>-<app>:<stage id>},
 * {@code digest} its manifest digest, {@code stageId} the push id that built it.
 */
public record StageSucceeded(String blobUid, AppRef app, String stageId, String image, String digest,
                             String appKind, Map<StageStep, Long> stepMillis, AppSettings settings)
        implements EventData {

    public StageSucceeded {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.requireUuid("stageId", stageId);
        Names.require("image", image);
        Names.require("digest", digest);
        Names.require("settings", settings);
        stepMillis = stepMillis == null ? Map.of() : Map.copyOf(stepMillis);
    }
}
