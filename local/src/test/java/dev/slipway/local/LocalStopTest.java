package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.cli.CliRun;
import dev.slipway.events.EventType;
import dev.slipway.events.StageStarted;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.http.Routed;
import dev.slipway.testsupport.kafka.EventLog;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode stops within its stop timeout whatever it is doing: each test brings the platform into
 * one state and times {@link LocalPlatform#close()} with a clock around it. The platform is started
 * afresh for each state on the same data folder, as a user starts it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStopTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("slipway.services.dir", ".."), "examples");

    @TempDir
    static Path work;

    private LocalOptions options;
    private LocalPlatform platform;

    @BeforeAll
    void resolvePorts() {
        assumeTrue(podmanInstalled(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        // the same ports for every start, as bin/slipway-local has
        options = LocalPlatform.resolve(LocalOptions.freePorts(work.resolve("data")));
    }

    @AfterEach
    void closeLeftovers() {
        if (platform != null) {
            platform.close();
            platform = null;
        }
    }

    /** The apps' containers stay behind when the platform stops (to come back with it): not after the test. */
    @AfterAll
    void removeContainers() throws Exception {
        if (options != null) {
            PodmanLeftovers.remove(PodmanLeftovers.installationOf(options.dataDir()));
        }
    }

    @Test
    @Order(1)
    void idle(TestInfo test) throws Exception {
        platform = LocalPlatform.start(options);

        assertStopsInTime(test);
    }

    @Test
    @Order(2)
    void afterAFailedStage(TestInfo test) throws Exception {
        platform = LocalPlatform.start(options);
        Path broken = work.resolve("broken.tar.gz");
        Files.write(broken, Archives.of(Archives.Format.TGZ, Map.of("../../etc/x", "x")));
        CliRun push = slipway("push", broken.toString(), "--name", "broken");
        assertThat(push.err()).contains("ARCHIVE_UNSAFE_PATH");

        assertStopsInTime(test);
    }

    @Test
    @Order(3)
    void duringAPushWhileTheCliFollowsIt(TestInfo test) throws Exception {
        platform = LocalPlatform.start(options);
        CompletableFuture<CliRun> push;
        try (EventLog events = new EventLog("127.0.0.1:" + options.kafkaPort())) {
            push = CompletableFuture.supplyAsync(() -> slipway("push", EXAMPLES.resolve("procfile-app").toString(),
                    "--name", "mid-push"));
            events.awaitRecord(record -> EventType.STAGE_STARTED.type().equals(EventLog.header(record, "ce_type"))
                    && ((StageStarted) events.decode(record).data()).app().name().equals("mid-push"),
                    Duration.ofSeconds(60));
        }

        assertStopsInTime(test);
        // the CLI's event stream was ended by the stop, not left hanging
        CliRun followed = push.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(followed.out() + followed.err()).contains("before it ended");
    }

    @Test
    @Order(4)
    void withAnAppRunning(TestInfo test) throws Exception {
        platform = LocalPlatform.start(options);
        CliRun push = slipway("push", EXAMPLES.resolve("static-site").toString());
        assertThat(push.exitCode()).as(push.err()).isZero();
        assertThat(Routed.get("http://static-site.localhost:" + platform.routerPort()).status()).isEqualTo(200);

        assertStopsInTime(test);
        assertThat(runningContainers()).as("the apps stop with the platform").isEmpty();
    }

    @Test
    @Order(5)
    void whenAPartFailsToStartWhatHadStartedStopsInTime(TestInfo test) throws Exception {
        StartFailed failed;
        // the router's port is taken: routing-service, the last part, cannot start
        try (ServerSocket taken = new ServerSocket(options.routerPort(), 1, InetAddress.getLoopbackAddress())) {
            failed = catchThrowableOfType(StartFailed.class, () -> LocalPlatform.start(options));
        }

        assertThat(failed).isNotNull();
        assertThat(failed.getMessage()).contains("what had started was stopped in");
        System.out.printf("%s: stopped in %d ms%n", test.getDisplayName(), failed.stoppedIn().toMillis());
        assertThat(failed.stoppedIn()).isLessThan(options.stopTimeout());
        assertThat(listens(options.kafkaPort())).as("the broker stopped").isFalse();
        assertThat(runningContainers()).as("the app deploy-service brought back stopped too").isEmpty();
    }

    /** Times close() and checks that everything stopped, the broker last. */
    private void assertStopsInTime(TestInfo test) throws Exception {
        long before = System.nanoTime();
        platform.close();
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        // the numbers behind the assertion, for whoever compares runs
        System.out.printf("%s: close() took %d ms%n", test.getDisplayName(), took.toMillis());

        assertThat(took).as("close() took %s", took).isLessThan(options.stopTimeout());
        assertThat(platform.stillStopping()).isEmpty();
        assertThat(listens(options.apiPort())).isFalse();
        assertThat(listens(options.kafkaPort())).isFalse();
        platform = null;
    }

    private CliRun slipway(String... args) {
        return CliRun.of(platform.cliConfig().path(), args);
    }

    private static boolean listens(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    private List<String> runningContainers() throws Exception {
        return containers("--filter", "status=running");
    }

    /** Ids of this installation's containers (podman is shared by the whole machine), as {@code podman ps} lists them. */
    private List<String> containers(String... flags) throws Exception {
        return PodmanLeftovers.containers(PodmanLeftovers.installationOf(options.dataDir()), flags);
    }

    private static boolean podmanInstalled() {
        try {
            return new ProcessBuilder("podman", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException missing) {
            return false;
        }
    }
}
