package dev.slipway.deploy.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The values of one release of the application chart: what deploy-service hands to Helm, as a
 * values file (JSON is YAML), so that no value is ever parsed as {@code --set} syntax.
 *
 * @param env the app's env vars, from its configuration (they live in the release, not in events)
 */
public record ReleaseValues(String appName, String image, String stageId, String blobUid, int replicaCount,
                            Map<String, String> env) {

    public ReleaseValues {
        env = env == null ? Map.of() : Map.copyOf(env);
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
        return values;
    }

    public Path writeTo(Path file) {
        try {
            Files.writeString(file, JsonMapper.shared().writeValueAsString(asMap()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the release values", e);
        }
    }
}
