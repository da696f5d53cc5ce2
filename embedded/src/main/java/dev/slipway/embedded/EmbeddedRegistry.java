package dev.slipway.embedded;

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
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A real OCI image registry: Debian's {@code docker-registry} started as a child process on loopback,
 * storing images in a folder (so they survive a restart), open or behind htpasswd (bcrypt) basic auth.
 * The child is stopped on {@link #close()} and, should nobody call it, by a JVM shutdown hook, so no
 * registry outlives the process that started it.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** docker-registry exits at once on SIGTERM; one that does not within this is killed, so a stop stays short. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path configFile;
    private final Path log;
    private final int port;
    private final String username;
    private final String password;
    private volatile Process process;
    private volatile Thread stopOnExit;

    private EmbeddedRegistry(Path root, int port, String username, String password, boolean deletes)
            throws IOException {
        this.port = port > 0 ? port : LoopbackPorts.free();
        this.username = username;
        this.password = password;
        Files.createDirectories(root);
        StringBuilder config = new StringBuilder()
                .append("version: 0.1\n")
                .append("log:\n  level: warn\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(root.toAbsolutePath().resolve("data"))
                .append('\n')
                // deleting an app deletes its images: the registry must take manifest DELETEs
                .append("  delete:\n    enabled: ").append(deletes).append('\n')
                .append("http:\n  addr: 127.0.0.1:").append(this.port).append('\n')
                // signs upload state between requests; one process, so a fresh one per start is enough
                .append("  secret: ").append(UUID.randomUUID()).append('\n');
        if (username != null) {
            Path htpasswd = root.toAbsolutePath().resolve("htpasswd");
            Files.writeString(htpasswd, username + ":" + new BCryptPasswordEncoder().encode(password) + "\n");
            config.append("auth:\n  htpasswd:\n    realm: slipway\n    path: ").append(htpasswd).append('\n');
        }
        this.configFile = root.resolve("config.yml");
        Files.writeString(configFile, config);
        this.log = root.resolve("registry.log");
        launch();
    }

    /** An open registry storing under {@code root}, on {@code port} (0: any free port). */
    public static EmbeddedRegistry open(Path root, int port) {
        return start(root, port, null, null, true);
    }

    /** A registry that wants {@code username}/{@code password} on every request. */
    public static EmbeddedRegistry withBasicAuth(Path root, int port, String username, String password) {
        return start(root, port, username, password, true);
    }

    /** An open registry that refuses to delete (405), as a registry left at its defaults does. */
    public static EmbeddedRegistry refusingDeletes(Path root, int port) {
        return start(root, port, null, null, false);
    }

    private static EmbeddedRegistry start(Path root, int port, String username, String password, boolean deletes) {
        try {
            return new EmbeddedRegistry(root, port, username, password, deletes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry", e);
        }
    }

    /** Starts the registry again after {@link #close()}: same port, same stored images. */
    public void resume() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry again", e);
        }
    }

    private void launch() throws IOException {
        Process started = new ProcessBuilder(RegistryBinary.locate(), "serve", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        this.process = started;
        this.stopOnExit = new Thread(() -> stop(started), "stop-docker-registry-" + port);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        boolean ready = Deadline.await(START_TIMEOUT, () -> !started.isAlive() || answers());
        if (!started.isAlive()) {
            forgetShutdownHook();
            throw new IllegalStateException("docker-registry exited with " + started.exitValue() + ": "
                    + Files.readString(log));
        }
        if (!ready) {
            close();
            throw new IllegalStateException("docker-registry did not answer on " + host() + " within "
                    + START_TIMEOUT + "; see " + log.getFileName() + " in its folder");
        }
    }

    /** {@code 127.0.0.1:<port>}, the form an image reference starts with. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public URI url() {
        return URI.create("http://" + host());
    }

    public int port() {
        return port;
    }

    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Whether the child process is running (it may still be starting). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the child (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
    @Override
    public void close() {
        Process running = process;
        if (running != null) {
            stop(running);
        }
        forgetShutdownHook();
    }

    private void forgetShutdownHook() {
        Thread hook = stopOnExit;
        stopOnExit = null;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting and the hook is running or about to: it stops the same process
            }
        }
    }

    private static void stop(Process running) {
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                running.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** {@code GET /v2/} answers 200 when open and 401 behind auth: either way the registry is up. */
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
}
