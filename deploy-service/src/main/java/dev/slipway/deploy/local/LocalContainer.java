package dev.slipway.deploy.local;

import dev.slipway.events.AppRef;
import java.util.Map;

/** One instance of an app, as podman lists it; what it runs is in its labels. */
record LocalContainer(String name, AppRef app, int revision, int port, String image, String stageId,
                      String blobUid, boolean running) {

    static final String INSTALLATION = "slipway.dev/installation";
    static final String APP = "slipway.dev/app";
    static final String REVISION = "slipway.dev/revision";
    static final String PORT = "slipway.dev/port";
    static final String IMAGE = "slipway.dev/image";
    static final String STAGE_ID = "slipway.dev/stage-id";
    /** The deploy request's key: a fresh one per request, the same on its redelivery. */
    static final String BLOB_UID = "slipway.dev/blob-uid";

    static LocalContainer of(String name, Map<String, String> labels, boolean running) {
        String[] app = labels.get(APP).split("/", 2);
        return new LocalContainer(name, new AppRef(app[0], app[1]), Integer.parseInt(labels.get(REVISION)),
                Integer.parseInt(labels.get(PORT)), labels.get(IMAGE), labels.getOrDefault(STAGE_ID, ""),
                labels.getOrDefault(BLOB_UID, ""), running);
    }

    String endpoint() {
        return "127.0.0.1:" + port;
    }
}
