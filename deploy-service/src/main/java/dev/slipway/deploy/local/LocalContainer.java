package dev.slipway.deploy.local;

import dev.slipway.events.AppRef;
import dev.slipway.events.RuntimeLabels;
import java.util.Map;

/** One instance of an app, as podman lists it; what it runs is in its labels ({@link RuntimeLabels}). */
record LocalContainer(String name, AppRef app, int revision, int port, String image, String stageId,
                      String blobUid, boolean running) {

    static LocalContainer of(String name, Map<String, String> labels, boolean running) {
        String[] app = labels.get(RuntimeLabels.APP).split("/", 2);
        return new LocalContainer(name, new AppRef(app[0], app[1]),
                Integer.parseInt(labels.get(RuntimeLabels.REVISION)), Integer.parseInt(labels.get(RuntimeLabels.PORT)),
                labels.get(RuntimeLabels.IMAGE), labels.getOrDefault(RuntimeLabels.STAGE_ID, ""),
                labels.getOrDefault(RuntimeLabels.BLOB_UID, ""), running);
    }

    String endpoint() {
        return "127.0.0.1:" + port;
    }
}
