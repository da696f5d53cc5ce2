package dev.slipway.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An app as kept in the compacted topic {@code slipway.apps} (key {@code <namespace>/<app>}):
 * upload-service writes it, deploy-service reads the sealed env of the version an event names.
 *
 * @param sealedEnv     env var values sealed with the secrets key; never stored or sent in the clear
 * @param configVersion bumped on every env change; the events reference it, not the values
 * @param lastBlobUid   the blob of the latest stage request, restaged when a stage names none
 * @param lastStageId   the push id of the latest stage request
 * @param memoryMb      memory of each instance in MiB, or null for the runtime's default
 */
public record AppState(String namespace, String name, String owner, Instant createdAt, int instances,
                       boolean defaultRoute, List<String> routes, Map<String, String> sealedEnv, int configVersion,
                       String builderImage, String lastBlobUid, String lastStageId, Integer memoryMb) {

    public AppState {
        routes = routes == null ? List.of() : List.copyOf(routes);
        sealedEnv = sealedEnv == null ? Map.of() : Map.copyOf(sealedEnv);
    }

    public AppRef ref() {
        return new AppRef(namespace, name);
    }

    /** What the pipeline needs: instances, routes, and a reference to (not the values of) the env. */
    public AppSettings settings() {
        return new AppSettings(instances, defaultRoute, routes,
                sealedEnv.isEmpty() ? null : configurationRef(ref(), configVersion), memoryMb);
    }

    /** {@code <namespace>/<app>@<version>}: how events name a version of an app's configuration. */
    public static String configurationRef(AppRef app, int version) {
        return app.namespace() + "/" + app.name() + "@" + version;
    }

    public AppState withStage(String blobUid, String stageId, String image) {
        return new AppState(namespace, name, owner, createdAt, instances, defaultRoute, routes, sealedEnv,
                configVersion, image, blobUid, stageId, memoryMb);
    }
}
