package dev.slipway.testsupport.registry;

import static org.awaitility.Awaitility.await;

import dev.slipway.testsupport.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real OCI image registry: Debian's {@code docker-registry} (distribution 2.8) started as a child
 * process on a free loopback port, optionally behind htpasswd (bcrypt) basic auth. Install it with
 * {@code apt-get install docker-registry}; {@code SLIPWAY_DOCKER_REGISTRY} may name another binary.
 */
public final class RegistryServer implements AutoCloseable {

    private static final String BINARY_ENV = "SLIPWAY_DOCKER_REGISTRY";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path configFile;
    private volatile Process process;
    private final int port;
    private final String username;
    private final String password;
    private final Path log;

    private RegistryServer(Path root, String username, String password) throws IOException {
        this.port = FreePorts.next();
        this.username = username;
        this.password = password;
        Files.createDirectories(root);
        StringBuilder config = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: warn\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(root.resolve("data")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n')
                .append("  secret: ").append(UUID.randomUUID()).append('\n');
        if (username != null) {
            Path htpasswd = root.resolve("htpasswd");
            Files.writeString(htpasswd, username + ":" + new BCryptPasswordEncoder().encode(password) + "\n");
            config.append("auth:\n  htpasswd:\n    realm: slipway\n    path: ").append(htpasswd).append('\n');
        }
        this.configFile = root.resolve("config.yml");
        Files.writeString(configFile, config);
        this.log = root.resolve("registry.log");
        launch();
    }

    /** Starts the registry again after {@link #close()}: same port, same stored images (a fault fixed). */
    public void resume() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry again", e);
        }
    }

    private void launch() throws IOException {
        this.process = new ProcessBuilder(binary(), "serve", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || answers());
        } finally {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
        }
    }

    /** An open registry storing under {@code root}. */
    public static RegistryServer open(Path root) {
        return start(root, null, null);
    }

    /** A registry that wants {@code username}/{@code password} on every request. */
    public static RegistryServer withBasicAuth(Path root, String username, String password) {
        return start(root, username, password);
    }

    private static RegistryServer start(Path root, String username, String password) {
        try {
            return new RegistryServer(root, username, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry", e);
        }
    }

    /** {@code 127.0.0.1:<port>}, the form an image reference starts with. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public URI url() {
        return URI.create("http://" + host());
    }

    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    public Optional<String> password() {
        return Optional.ofNullable(password);
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
        Map<String, String> labels = new java.util.TreeMap<>();
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
        if (username != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
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
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean answers() {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 || status == 401;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String binary() {
        String configured = System.getenv(BINARY_ENV);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/usr/sbin");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/bin", "/usr/sbin"))
                .map(folder -> Path.of(folder, "docker-registry"))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("docker-registry is not installed: run "
                        + "'sudo apt-get install -y docker-registry' (or scripts/setup-debian.sh), or set "
                        + BINARY_ENV + " to its path"));
    }
}
