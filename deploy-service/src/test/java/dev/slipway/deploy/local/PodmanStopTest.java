package dev.slipway.deploy.local;

import dev.slipway.events.RuntimeLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.images.TestImages;
import dev.slipway.testsupport.podman.PodmanCli;
import dev.slipway.testsupport.registry.RegistryServer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An app started the way PodmanTarget starts it stops as soon as it gets SIGTERM: busybox httpd,
 * which as PID 1 would ignore SIGTERM and wait out podman's timeout, runs under the init. The stop
 * timeout here is long, so a stop that only ends by SIGKILL would show.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodmanStopTest {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Far below STOP_TIMEOUT, with room for podman itself on a busy machine. */
    private static final Duration QUICK = Duration.ofSeconds(4);
    private static final String INSTALLATION = "stop-test";

    private final Optional<java.nio.file.Path> init = ContainerInit.resolve(ContainerInit.AUTO);
    private final Podman podman = new Podman("podman", "runc", INSTALLATION, init, STOP_TIMEOUT);
    private final List<String> started = new ArrayList<>();
    private RegistryServer registry;
    private String image;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(PodmanCli.works(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        assumeTrue(init.isPresent(), "no catatonit here: apps run without an init (see ContainerInit)");
        registry = RegistryServer.open(Files.createTempDirectory("slipway-registry"));
        image = TestImages.page(registry.host(), "podman-stop-test", "v1", "stop me");
    }

    @AfterAll
    void stop() throws Exception {
        for (String name : started) {
            podman.remove(name);
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void anAppThatIgnoresSigtermAsPid1StopsAtOnceUnderTheInit() throws Exception {
        String name = run();

        long before = System.nanoTime();
        Podman.Result stopped = podman.stop(List.of(name));
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        assertThat(stopped.ok()).as(stopped.output()).isTrue();
        assertThat(took).as("podman stop took %s of its %s", took, STOP_TIMEOUT).isLessThan(QUICK);
        // 143 = 128 + SIGTERM: the app ended on the signal, not on podman's SIGKILL (137)
        assertThat(exitCode(name)).isEqualTo("143");
    }

    @Test
    void severalAppsStopTogetherInAboutTheTimeOfOne() throws Exception {
        List<String> names = List.of(run(), run(), run());

        long before = System.nanoTime();
        Podman.Result stopped = podman.stop(names);
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        assertThat(stopped.ok()).as(stopped.output()).isTrue();
        assertThat(took).isLessThan(QUICK);
        for (String name : names) {
            assertThat(exitCode(name)).isEqualTo("143");
        }
    }

    /** Runs the test page as PodmanTarget runs an app instance, and waits until it answers. */
    private String run() throws Exception {
        String name = "slipway_" + INSTALLATION + "_" + UUID.randomUUID().toString().substring(0, 8);
        int port = FreePorts.next();
        String network = new AppNetworks(podman, INSTALLATION).ensure("stop-test");
        Podman.Result run = podman.run(new RunRequest(name, image, network, port, new AppLimits(64 * AppLimits.MB, 32)),
                Map.of(RuntimeLabels.APP, "stop-test/page"), Map.of("PORT", String.valueOf(port)));
        assertThat(run.ok()).as(run.output()).isTrue();
        started.add(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> answers(port));
        return name;
    }

    private static String exitCode(String name) throws IOException, InterruptedException {
        Process inspect = new ProcessBuilder("podman", "inspect", "--format", "{{.State.ExitCode}}", name)
                .redirectErrorStream(true).start();
        String output = new String(inspect.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        inspect.waitFor();
        return output;
    }

    private static boolean answers(int port) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL()
                    .openConnection();
            connection.setConnectTimeout(500);
            return connection.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }


}
