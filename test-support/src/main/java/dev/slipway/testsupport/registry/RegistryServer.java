package dev.slipway.testsupport.registry;

import dev.slipway.embedded.EmbeddedRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real OCI image registry for tests: {@link EmbeddedRegistry} (Debian's {@code docker-registry} as a
 * child process) on a free loopback port, optionally behind basic auth, plus reads of what it stores.
 * Install it with {@code apt-get install docker-registry}; {@code SLIPWAY_DOCKER_REGISTRY} may name
 * another binary.
 */
public final class RegistryServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final EmbeddedRegistry registry;

    private RegistryServer(EmbeddedRegistry registry) {
        this.registry = registry;
    }

    /** An open registry storing under {@code root}. */
    public static RegistryServer open(Path root) {
        return new RegistryServer(EmbeddedRegistry.open(root, 0));
    }

    /** An open registry whose manifest DELETEs are refused (405), as docker-registry's default is. */
    public static RegistryServer refusingDeletes(Path root) {
        return new RegistryServer(EmbeddedRegistry.refusingDeletes(root, 0));
    }

    /** A registry that wants {@code username}/{@code password} on every request. */
    public static RegistryServer withBasicAuth(Path root, String username, String password) {
        return new RegistryServer(EmbeddedRegistry.withBasicAuth(root, 0, username, password));
    }

    /** Starts the registry again after {@link #close()}: same port, same stored images (a fault fixed). */
    public void resume() {
        registry.resume();
    }

    /** {@code 127.0.0.1:<port>}, the form an image reference starts with. */
    public String host() {
        return registry.host();
    }

    public URI url() {
        return registry.url();
    }

    public Optional<String> username() {
        return registry.username();
    }

    public Optional<String> password() {
        return registry.password();
    }

    /** The image's manifest as the registry serves it (OCI or Docker v2), or empty when it has none. */
    public Optional<JsonNode> manifest(String repository, String tag) {
        HttpResponse<String> response = get("/v2/" + repository + "/manifests/" + tag,
                "application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json");
        return response.statusCode() == 200 ? Optional.of(JsonMapper.shared().readTree(response.body()))
                : Optional.empty();
    }

    /** The labels in the image's config, read over HTTP as any client would. */
    public Map<String, String> labels(String repository, String tag) {
        JsonNode manifest = manifest(repository, tag).orElseThrow(() -> new IllegalStateException(
                "no image " + repository + ":" + tag + " in the registry"));
        String configDigest = manifest.path("config").path("digest").asString();
        JsonNode config = JsonMapper.shared().readTree(get("/v2/" + repository + "/blobs/" + configDigest, "*/*")
                .body());
        Map<String, String> labels = new TreeMap<>();
        config.path("config").path("Labels").properties().forEach(label -> labels.put(label.getKey(),
                label.getValue().asString()));
        return labels;
    }

    /** The image's config ({@code config} section: Entrypoint, Env, WorkingDir, Labels ...). */
    public JsonNode config(String repository, String tag) {
        JsonNode manifest = manifest(repository, tag).orElseThrow();
        return JsonMapper.shared().readTree(get("/v2/" + repository + "/blobs/"
                + manifest.path("config").path("digest").asString(), "*/*").body()).path("config");
    }

    private HttpResponse<String> get(String path, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url().resolve(path)).header("Accept", accept);
        registry.username().ifPresent(username -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + registry.password().orElseThrow()).getBytes(StandardCharsets.UTF_8))));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        registry.close();
    }
}
