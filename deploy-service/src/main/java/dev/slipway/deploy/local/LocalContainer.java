package dev.slipway.deploy.local;

import dev.slipway.events.AppRef;
import dev.slipway.events.RuntimeLabels;
import java.util.Map;

/**
 * One container of an app, as podman lists it; what it runs is in its labels ({@link RuntimeLabels}).
 * Either an instance, or the marker of a revision that runs none ({@code marker}: created, never
 * started, no port), which only records the revision.
 */
record LocalContainer(String name, AppRef app, int revision, int port, String image, String stageId,
                      String blobUid, boolean running, boolean marker) {

    static LocalContainer of(String name, Map<String, String> labels, boolean running) {
        String[] app = labels.get(RuntimeLabels.APP).split("/", 2);
        boolean marker = RuntimeLabels.marksRevisionOnly(labels.get(RuntimeLabels.INSTANCES));
        return new LocalContainer(name, new AppRef(app[0], app[1]),
                Integer.parseInt(labels.get(RuntimeLabels.REVISION)),
                marker ? 0 : Integer.parseInt(labels.get(RuntimeLabels.PORT)),
                labels.get(RuntimeLabels.IMAGE), labels.getOrDefault(RuntimeLabels.STAGE_ID, ""),
                labels.getOrDefault(RuntimeLabels.BLOB_UID, ""), running, marker);
    }

    /** An instance of the app, as opposed to a revision's marker. */
    boolean instance() {
        return !marker;
    }

    String endpoint() {
        return "127.0.0.1:" + port;
    }
}
