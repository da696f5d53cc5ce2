package dev.slipway.upload.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.events.AppRef;
import dev.slipway.events.RuntimeLabels;
import dev.slipway.testsupport.images.TestImages;
import dev.slipway.testsupport.podman.PodmanCli;
import dev.slipway.testsupport.registry.RegistryServer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The podman runtime on real containers labelled as deploy-service labels them: a talking app with
 * two instances, a crashing one that podman restarts, a stranger of another installation, and one
 * that printed a long log (60 MB) as it started and is quiet since.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodmanRuntimeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_LINE = 4096;

    private final String installation = "logs-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final AppRef talking = new AppRef("workspace", "talker");
    private final AppRef crashing = new AppRef("workspace", "crasher");
    /** Printed a long log as it started and is quiet since: a read of its last second takes a while. */
    private final AppRef quiet = new AppRef("workspace", "quieter");
    private final List<String> started = new ArrayList<>();
    private final PodmanRuntime runtime = new PodmanRuntime("podman", "runc", installation);
    private RegistryServer registry;

    @BeforeAll
    void startApps() throws Exception {
        assumeTrue(PodmanCli.works(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        registry = RegistryServer.open(Files.createTempDirectory("slipway-registry"));
        String talker = TestImages.talking(registry.host(), "logs-test-talker", "v1");
        String crasher = TestImages.crashing(registry.host(), "logs-test-crasher", "v1");
        run(talking, 1, 0, talker, installation);
        run(talking, 1, 1, talker, installation);
        run(talking, 1, 2, talker, "another-installation");
        run(crashing, 1, 0, crasher, installation);
        run(quiet, 1, 0, talker, installation, "--entrypoint", "/bin/sh", talker, "-c",
                "busybox yes \"$(busybox head -c 200 /dev/zero | busybox tr '\\0' y)\" | busybox head -n 300000; "
                        + "echo quiet now; exec busybox sleep 3600");
    }

    @AfterAll
    void removeApps() throws Exception {
        for (String name : started) {
            PodmanCli.run("rm", "-f", "-t", "0", name);
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** Runs {@code image} as deploy-service would, or with {@code imageAndArgs} (options, image, arguments) instead. */
    private void run(AppRef app, int revision, int index, String image, String labelledInstallation,
                     String... imageAndArgs) {
        String name = container(app, revision, index) + (labelledInstallation.equals(installation) ? "" : "_stranger");
        started.add(name);
        List<String> line = new ArrayList<>(List.of("--runtime", "runc", "run", "-d", "--name", name, "--network",
                "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--restart", "on-failure:2",
                "--tls-verify=false", "--label", RuntimeLabels.INSTALLATION + "=" + labelledInstallation,
                "--label", RuntimeLabels.APP + "=" + RuntimeLabels.localApp(app),
                "--label", RuntimeLabels.REVISION + "=" + revision));
        line.addAll(imageAndArgs.length == 0 ? List.of(image) : List.of(imageAndArgs));
        PodmanCli.Result run = PodmanCli.run(line);
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    private String container(AppRef app, int revision, int index) {
        return "slipway_" + installation + "_" + app.namespace() + "_" + app.name() + "_r" + revision + "_" + index;
    }

    @Test
    void instancesAreTheAppsContainersOfThisInstallationWithStateAndRestarts() throws Exception {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<Instance> instances = runtime.instances(talking);
            assertThat(instances).extracting(Instance::name).containsExactly(
                    "slipway_" + installation + "_workspace_talker_r1_0", "slipway_" + installation + "_workspace_talker_r1_1");
            assertThat(instances).allSatisfy(instance -> {
                assertThat(instance.state()).isEqualTo("running");
                assertThat(instance.ready()).isTrue();
                assertThat(instance.restarts()).isZero();
                assertThat(instance.startedAt()).isBefore(Instant.now().plusSeconds(1));
            });
        });
        // exits with 3 at once: podman starts it twice more, then leaves it
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(runtime.instances(crashing)).singleElement()
                .satisfies(instance -> {
                    assertThat(instance.state()).isEqualTo("exited (3)");
                    assertThat(instance.ready()).isFalse();
                    assertThat(instance.restarts()).isEqualTo(2);
                }));
        assertThat(runtime.instances(new AppRef("workspace", "nobody"))).isEmpty();
    }

    @Test
    void logsOfEveryInstanceComeCleanedCutAndWithTheirStream() throws Exception {
        await().atMost(TIMEOUT).untilAsserted(() -> {
            List<LogLine> lines = read(talking, false, null);
            assertThat(lines).extracting(LogLine::instance).containsOnly(
                    "slipway_" + installation + "_workspace_talker_r1_0", "slipway_" + installation + "_workspace_talker_r1_1");
            String first = lines.stream().filter(line -> !line.line().startsWith("tick")).map(line -> line.stream() + ":"
                    + line.line().substring(0, Math.min(40, line.line().length()))).toList().toString();
            assertThat(lines).as("red alert in %s", first).filteredOn(line -> line.line().equals("red alert")).hasSize(2)
                    .allSatisfy(line -> assertThat(line.stream()).isEqualTo("stdout"));
            assertThat(lines).as("to-stderr in %s", first).filteredOn(line -> line.line().equals("to-stderr")).hasSize(2)
                    .allSatisfy(line -> assertThat(line.stream()).isEqualTo("stderr"));
            assertThat(lines).as("xxx in %s", first).filteredOn(line -> line.line().startsWith("xxx")).hasSize(2).allSatisfy(line ->
                    assertThat(line.line()).isEqualTo("x".repeat(MAX_LINE) + LogText.CUT));
            assertThat(lines).allSatisfy(line -> {
                assertThat(line.time()).isNotNull();
                assertThat(line.line()).doesNotContain("\u001b");
            });
        });
        // a crashed app's lines of every run
        assertThat(read(crashing, false, null)).extracting(LogLine::line).containsExactly("cannot open database",
                "cannot open database", "cannot open database");
        assertThat(read(talking, false, Instant.now().plusSeconds(3600))).isEmpty();
    }

    @Test
    void aFollowGetsNewLinesAndItsPodmanProcessesGoWhenItIsClosed() throws Exception {
        List<LogLine> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        AppRuntime.LogReading reading = runtime.logs(talking, new AppRuntime.LogRequest(Instant.now(), true, 10,
                MAX_LINE), sink(lines, ended));
        await().atMost(TIMEOUT).until(() -> lines.stream().filter(line -> line.line().startsWith("tick")).count() >= 6);
        List<String> talkers = List.of(container(talking, 1, 0), container(talking, 1, 1));
        assertThat(podmanLogsProcesses(talkers.get(0))).hasSize(1);
        assertThat(podmanLogsProcesses(talkers.get(1))).hasSize(1);
        reading.close();
        await().atMost(TIMEOUT).until(() -> talkers.stream().allMatch(name -> podmanLogsProcesses(name).isEmpty()));
        int seen = lines.size();
        await().pollDelay(Duration.ofMillis(600)).atMost(TIMEOUT).until(() -> true);
        assertThat(lines).hasSize(seen);
        assertThat(ended).isFalse();
    }

    /**
     * A client that leaves while the first part of its follow (the log so far since a second ago) is still
     * being read out of a long log: neither that read's {@code podman logs} nor a {@code --follow} one after it
     * is left running, and the reading's threads end.
     */
    @Test
    void aFollowClosedWhileItsPastIsStillReadLeavesNoPodmanProcessBehind() throws Exception {
        String name = container(quiet, 1, 0);
        await().atMost(TIMEOUT).until(() -> PodmanCli.run("logs", "--tail", "1", name).output().contains("quiet now"));
        for (int round = 0; round < 3; round++) {
            List<LogLine> lines = new CopyOnWriteArrayList<>();
            AtomicBoolean ended = new AtomicBoolean();
            AppRuntime.LogReading reading = runtime.logs(quiet, new AppRuntime.LogRequest(Instant.now().minusSeconds(1),
                    true, 10, MAX_LINE), sink(lines, ended));
            if (round > 0) {
                // the client leaves while the past is read: its podman logs has started, or is about to
                await().atMost(TIMEOUT).until(() -> !podmanLogsProcesses(name).isEmpty());
            }
            reading.close();
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(podmanLogsProcesses(name)).isEmpty();
                assertThat(readers(name)).isEmpty();
            });
            assertThat(lines).isEmpty();
        }
    }

    private List<LogLine> read(AppRef app, boolean follow, Instant since) throws Exception {
        List<LogLine> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean ended = new AtomicBoolean();
        try (AppRuntime.LogReading reading = runtime.logs(app, new AppRuntime.LogRequest(since, follow, 1000, MAX_LINE),
                sink(lines, ended))) {
            await().atMost(TIMEOUT).untilTrue(ended);
        }
        return lines;
    }

    private static AppRuntime.LogSink sink(List<LogLine> lines, AtomicBoolean ended) {
        return new AppRuntime.LogSink() {
            @Override
            public void line(LogLine line) {
                lines.add(line);
            }

            @Override
            public void ended() {
                ended.set(true);
            }
        };
    }

    private static List<ProcessHandle> podmanLogsProcesses() {
        return ProcessHandle.current().descendants().filter(process -> process.isAlive() && process.info()
                .commandLine().orElse("").contains(" logs --timestamps")).toList();
    }

    /** The {@code podman logs} processes reading {@code container}. */
    private static List<String> podmanLogsProcesses(String container) {
        return podmanLogsProcesses().stream().map(process -> process.info().commandLine().orElse(""))
                .filter(line -> line.endsWith(" " + container)).toList();
    }

    /** The threads of a reading of {@code container}'s log. */
    private static List<String> readers(String container) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("app-log-" + container)).toList();
    }
}
