package dev.slipway.deploy.chart;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values of one release of the application chart: what deploy-service hands to Helm, as a
 * values file (JSON is YAML), so that no value is ever parsed as {@code --set} syntax. The file is
 * written by the release code only for the length of a Helm call: the env values are decrypted.
 *
 * @param env           the app's env vars, from its configuration (they live in the release, not in
 *                      events; the chart puts them in a Secret the container reads, not in the pod template)
 * @param restartedBy   the blob uid of the restart this release carries out, or null: a pod-template
 *                      annotation, so a restart replaces every pod whatever else the release keeps the same
 * @param configuration the reference of the configuration version {@code env} comes from, or null: a
 *                      pod-template annotation, so new env values replace the pods (the Secret alone would not)
 */
public record ReleaseValues(String appName, String image, String stageId, String blobUid, int replicaCount,
                            Map<String, String> env, String restartedBy, String configuration) {

    public ReleaseValues {
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** A release that restarts nothing. */
    public ReleaseValues(String appName, String image, String stageId, String blobUid, int replicaCount,
                         Map<String, String> env) {
        this(appName, image, stageId, blobUid, replicaCount, env, null, null);
    }

    /** A release whose env comes from no named configuration version. */
    public ReleaseValues(String appName, String image, String stageId, String blobUid, int replicaCount,
                         Map<String, String> env, String restartedBy) {
        this(appName, image, stageId, blobUid, replicaCount, env, restartedBy, null);
    }

    /** Env sorted by name, so the same input always renders the same manifests. */
    public Map<String, Object> asMap() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("appName", appName);
        values.put("image", image);
        values.put("stageId", stageId == null ? "" : stageId);
        values.put("blobUid", blobUid == null ? "" : blobUid);
        values.put("replicaCount", replicaCount);
        values.put("env", env.keySet().stream().sorted()
                .map(name -> Map.of("name", name, "value", env.get(name))).toList());
        if (restartedBy != null) {
            values.put("restartedBy", restartedBy);
        }
        if (configuration != null) {
            values.put("configuration", configuration);
        }
        return values;
    }
}
