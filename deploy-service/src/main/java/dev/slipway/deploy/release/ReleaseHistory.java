package dev.slipway.deploy.release;

import dev.slipway.deploy.pipeline.AppConfigurations;
import dev.slipway.deploy.pipeline.DeployFailure;
import dev.slipway.events.ReasonCodes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Earlier revisions of a release, read from Helm's own records: the Secret
 * {@code sh.helm.release.v1.<name>.v<revision>} whose {@code release} is base64(gzip(release JSON)).
 * A rollback deploys the values of an earlier revision again, as {@code helm rollback} does.
 */
public class ReleaseHistory {

    private final KubernetesClient client;

    public ReleaseHistory(KubernetesClient client) {
        this.client = client;
    }

    /** The values ({@code config}) a revision was deployed with. */
    public Map<String, Object> values(String namespace, String name, int revision) throws DeployFailure {
        JsonNode release = record(namespace, name, revision).orElseThrow(() -> new DeployFailure(
                ReasonCodes.RELEASE_NOT_FOUND, "release " + name + " has no revision " + revision + " to roll back "
                + "to; see its revisions with: helm history -n " + namespace + " " + name, false, null));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = JsonMapper.shared().convertValue(release.path("config"), Map.class);
        return config;
    }

    /** Helm's record of a revision (chart, values, status), empty when there is none. */
    public Optional<JsonNode> record(String namespace, String name, int revision) throws DeployFailure {
        Secret record = client.secrets().inNamespace(namespace).withName("sh.helm.release.v1." + name + ".v" + revision)
                .get();
        if (record == null || record.getData() == null || !record.getData().containsKey("release")) {
            return Optional.empty();
        }
        try {
            byte[] helmEncoded = Base64.getDecoder().decode(record.getData().get("release"));
            byte[] gzipped = Base64.getDecoder().decode(helmEncoded);
            try (GZIPInputStream json = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                return Optional.of(JsonMapper.shared().readTree(json));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new DeployFailure(ReasonCodes.RELEASE_NOT_FOUND, "revision " + revision + " of " + name
                    + " cannot be read: " + e.getMessage(), false, e);
        }
    }
}
