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
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A real OCI image registry: Debian's {@code docker-registry} (distribution 2.8) started as a child
 * process on a free loopback port, optionally behind htpasswd (bcrypt) basic auth. Install it with
 * {@code apt-get install docker-registry}; {@code SLIPWAY_DOCKER_REGISTRY} may name another binary.
 */
public final class RegistryServer implements AutoCloseable {

    private static final String BINARY_ENV = "SLIPWAY_DOCKER_REGISTRY";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
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
        Path configFile = root.resolve("config.yml");
        Files.writeString(configFile, config);
        this.log = root.resolve("registry.log");
        this.process = new ProcessBuilder(binary(), "serve", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
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
