package dev.slipway.bench.replay;

import dev.slipway.testsupport.s3.S3Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * One upload-service process started from its runnable jar with a fixed heap, as a new replica
 * joins: an empty state folder and temporary folder, the event log already full. Its GC log and
 * output go to its work folder; its peak resident memory is read from {@code /proc/<pid>/status}.
 */
final class Replica implements AutoCloseable {

    static final String ADMIN = "admin";
    static final String PASSWORD = "replay-bench-admin-password";
    private static final Duration POLL = Duration.ofMillis(100);

    private final Process process;
    private final long startedNanos;
    private final int port;
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private long rssPeak;

    private Replica(Process process, long startedNanos, int port, Path work) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.port = port;
        this.work = work;
    }

    static Replica start(Path jar, String maxHeap, String bootstrapServers, S3Server s3, Path work)
            throws IOException {
        Files.createDirectories(work.resolve("tmp"));
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap,
                // as the service images run it: out of heap ends the process rather than limping on
                "-XX:+ExitOnOutOfMemoryError",
                "-Xlog:gc:file=" + gcLog(work),
                "-Djava.io.tmpdir=" + work.resolve("tmp"),
                "-jar", jar.toString(),
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--slipway.s3.endpoint=" + s3.endpoint(),
                "--slipway.s3.access-key=" + s3.accessKey(),
                "--slipway.s3.secret-key=" + s3.secretKey(),
                "--slipway.auth.token-key=replay-bench-token-key-0123456789abcdefghijkl",
                "--slipway.secrets.key=replay-bench-secrets-key-0123456789abcdefghijk",
                "--slipway.auth.users[0].username=" + ADMIN,
                "--slipway.auth.users[0].password-hash=" + new BCryptPasswordEncoder(4).encode(PASSWORD),
                "--slipway.auth.users[0].roles[0]=admin",
                // a new replica: no state folder to resume from
                "--slipway.upload.streams.state-dir=" + work.resolve("streams"),
                "--logging.level.root=WARN",
                "--logging.level.dev.slipway=INFO"));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("replica.log").toFile()).start();
        return new Replica(process, started, port, work);
    }

    static Path gcLog(Path work) {
        return work.resolve("gc.log");
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    HttpClient http() {
        return http;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return work.resolve("replica.log");
    }

    /** Seconds since start at which each of {@code paths} first answered UP, or null where none did in time. */
    record Ready(Double[] seconds, String failure) {
    }

    /**
     * Polls the health {@code paths} until all have answered UP once, the process ends or
     * {@code timeout} passes; samples resident memory meanwhile.
     */
    Ready awaitUp(List<String> paths, Duration timeout) throws InterruptedException {
        Double[] seconds = new Double[paths.size()];
        long deadline = startedNanos + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            sampleRss();
            if (!process.isAlive()) {
                return new Ready(seconds, "the process ended with exit code " + process.exitValue());
            }
            boolean all = true;
            for (int i = 0; i < paths.size(); i++) {
                if (seconds[i] == null && up(paths.get(i))) {
                    seconds[i] = (System.nanoTime() - startedNanos) / 1e9;
                }
                all &= seconds[i] != null;
            }
            if (all) {
                return new Ready(seconds, null);
            }
            Thread.sleep(POLL.toMillis());
        }
        return new Ready(seconds, "not ready within " + timeout.toSeconds() + " s");
    }

    private boolean up(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException notListeningYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The highest resident set size (VmHWM) seen so far, in bytes. */
    long rssPeak() {
        sampleRss();
        return rssPeak;
    }

    private void sampleRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    rssPeak = Math.max(rssPeak, Long.parseLong(line.replaceAll("\\D+", "")) * 1024);
                }
            }
        } catch (IOException gone) {
            // the process ended: the last sample stands
        }
    }

    /** Asks the JVM for a full collection (jcmd GC.run), so the GC log shows what it really retains. */
    boolean fullGc() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return jcmd.waitFor(2, TimeUnit.MINUTES) && jcmd.exitValue() == 0;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
