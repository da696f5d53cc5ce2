package dev.slipway.staging.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.unpack.UnpackLimits;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.archives.HostileArchives;
import dev.slipway.testsupport.registry.RegistryServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Stage workers as real child JVMs with real limits, building against Debian's registry: what a
 * stage gets back when its worker succeeds, passes a limit, hangs, or is killed.
 */
class StageWorkersTest {

    private static RegistryServer registry;
    private static ServerSocket silentRegistry;
    private static final List<Socket> heldConnections = new CopyOnWriteArrayList<>();

    @TempDir
    Path home;

    @BeforeAll
    static void registries() throws Exception {
        registry = RegistryServer.open(Files.createTempDirectory("slipway-worker-registry"));
        BaseImages.pushBusybox(registry.host(), null, null);
        // accepts connections and never answers: a registry that hangs every client
        silentRegistry = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!silentRegistry.isClosed()) {
                try {
                    heldConnections.add(silentRegistry.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
    }

    @AfterAll
    static void stop() throws IOException {
        silentRegistry.close();
        registry.close();
    }

    @Test
    void aWorkerUnpacksBuildsAndPushesAndReportsEachStep() throws Exception {
        try (StageWorkers workers = new StageWorkers(settings("5m", "1m", "2GB"), home.resolve("workers"))) {
            List<WorkerMessage> progress = new CopyOnWriteArrayList<>();

            WorkerMessage outcome = workers.run("stage-1", order(Archives.tarGz(Map.of("index.html", "<h1>hi</h1>")),
                    registry.host(), "good"), progress::add);

            assertThat(outcome).isInstanceOf(WorkerMessage.Built.class);
            WorkerMessage.Built built = (WorkerMessage.Built) outcome;
            assertThat(built.reference()).isEqualTo(registry.host() + "/workspace-good:1");
            assertThat(built.appKind()).isEqualTo("static");
            assertThat(registry.manifest("workspace-good", "1")).isPresent();
            assertThat(progress).filteredOn(WorkerMessage.StepFinished.class::isInstance)
                    .extracting(message -> ((WorkerMessage.StepFinished) message).step())
                    .containsExactly(StageStep.UNPACK, StageStep.BUILD);
            assertThat(progress).filteredOn(WorkerMessage.Logged.class::isInstance).isNotEmpty()
                    .as("the plain-HTTP registry is declared insecure: its failover is no news to the user")
                    .noneMatch(message -> ((WorkerMessage.Logged) message).line().contains("Attempting again"));
            // the worker that ran is gone, its scratch folder with it, and a fresh spare waits
            await().atMost(Duration.ofSeconds(30)).until(() -> workers.status().sparesReady() == 1);
            assertThat(workers.status().running()).isEmpty();
        }
    }

    @Test
    void aStageThatTakesTooLongIsKilledAndEndsAsTimeout() throws Exception {
        try (StageWorkers workers = new StageWorkers(settings("5m", "3s", "2GB"), home.resolve("workers"))) {
            long started = System.nanoTime();

            WorkerMessage outcome = workers.run("stage-2", order(Archives.tarGz(Map.of("index.html", "x")),
                    "127.0.0.1:" + silentRegistry.getLocalPort(), "hangs"), message -> { });

            assertThat(failure(outcome).reason()).isEqualTo(ReasonCodes.STAGE_TIMEOUT);
            assertThat(failure(outcome).step()).isEqualTo(StageStep.BUILD);
            assertThat(failure(outcome).message()).contains("3s", "slipway.staging.worker.timeout");
            assertThat(failure(outcome).retryable()).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void aWorkerKilledMidStageEndsTheStageAndTheNextStageStillRuns() throws Exception {
        try (StageWorkers workers = new StageWorkers(settings("5m", "5m", "2GB"), home.resolve("workers"))) {
            List<WorkerMessage> outcomes = new ArrayList<>();
            Thread stage = new Thread(() -> outcomes.add(workers.run("stage-3", order(Archives.tarGz(Map.of(
                    "index.html", "x")), "127.0.0.1:" + silentRegistry.getLocalPort(), "killed"), message -> { })));
            stage.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !workers.status().running().isEmpty());

            ProcessHandle.of(workers.status().running().get(0).pid()).orElseThrow().destroyForcibly();
            stage.join(30_000);

            assertThat(failure(outcomes.get(0)).reason()).isEqualTo(ReasonCodes.STAGE_WORKER_DIED);
            assertThat(failure(outcomes.get(0)).message()).contains("killed by signal 9");
            WorkerMessage next = workers.run("stage-4", order(Archives.tarGz(Map.of("index.html", "again")),
                    registry.host(), "after-kill"), message -> { });
            assertThat(next).isInstanceOf(WorkerMessage.Built.class);
        }
    }

    @Test
    void aFileLargerThanTheWorkersFileSizeLimitEndsTheStageAsDiskLimit() throws Exception {
        try (StageWorkers workers = new StageWorkers(settings("5m", "1m", "1MB"), home.resolve("workers"))) {
            WorkerMessage outcome = workers.run("stage-5", order(Archives.tarGz(Map.of("index.html", "x",
                    "big.bin", "0".repeat(3 * 1024 * 1024))), registry.host(), "big", DataSize.ofMegabytes(1)), message -> { });

            assertThat(failure(outcome).reason()).isEqualTo(ReasonCodes.STAGE_DISK_LIMIT);
            assertThat(failure(outcome).step()).isEqualTo(StageStep.UNPACK);
            assertThat(failure(outcome).message()).contains("1 MB", "slipway.staging.worker.max-file-size");
        }
    }

    @Test
    void aStagePastItsCpuTimeIsStoppedByTheKernelAndTheLimitIsNamed() throws Exception {
        // 7 KB of bzip2 that costs seconds of CPU to decompress (60 MB, under the ratio check's floor)
        byte[] burner = StageWorkersTest.class.getResourceAsStream("/archives/cpu-heavy.tar.bz2").readAllBytes();
        try (StageWorkers workers = new StageWorkers(settings("1s", "1m", "2GB"), home.resolve("workers"))) {
            WorkerMessage outcome = workers.run("stage-6", order(burner, registry.host(), "cpu"), message -> { });

            assertThat(failure(outcome).reason()).isEqualTo(ReasonCodes.STAGE_CPU_LIMIT);
            assertThat(failure(outcome).step()).isEqualTo(StageStep.UNPACK);
            assertThat(failure(outcome).message()).contains("1s", "slipway.staging.worker.cpu-time");
        }
    }

    @Test
    void aWorkerThatStagedWellRunsTheNextStageWarmAndOneThatFailedIsReplaced() throws Exception {
        try (StageWorkers workers = new StageWorkers(settings("5m", "1m", "2GB"), home.resolve("workers"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> workers.status().sparesReady() == 1);
            List<Long> pids = new CopyOnWriteArrayList<>();
            Consumer<WorkerMessage> notePid = message -> workers.status().running().forEach(run -> pids.add(run.pid()));

            workers.run("warm-1", order(Archives.tarGz(Map.of("index.html", "1")), registry.host(), "warm-1"), notePid);
            workers.run("warm-2", order(Archives.tarGz(Map.of("index.html", "2")), registry.host(), "warm-2"), notePid);
            WorkerMessage refused = workers.run("bad", order(Archives.tarGz(Map.of("../escape", "x")), registry.host(),
                    "bad"), notePid);
            workers.run("warm-3", order(Archives.tarGz(Map.of("index.html", "3")), registry.host(), "warm-3"), notePid);

            assertThat(failure(refused).reason()).isEqualTo(ReasonCodes.ARCHIVE_UNSAFE_PATH);
            List<Long> distinct = pids.stream().distinct().toList();
            assertThat(distinct).as("the first worker ran the good stages and the refused one, then was replaced")
                    .hasSize(2);
            assertThat(ProcessHandle.of(distinct.get(0))).isEmpty();
        }
    }

    @Test
    void aLongNameThatGetsPastAMisconfiguredHeaderBudgetMeetsTheMemoryWallNotTheService() throws Exception {
        WorkerSettings small = new WorkerSettings(DataSize.ofMegabytes(64), Duration.ofMinutes(5),
                Duration.ofMinutes(1), DataSize.ofGigabytes(2), 1024, 1, 25, "", "");
        UnpackLimits budgetOff = new UnpackLimits(20000, DataSize.ofGigabytes(2), 1_000_000, DataSize.ofMegabytes(64),
                DataSize.ofGigabytes(1), 4096);
        try (StageWorkers workers = new StageWorkers(small, home.resolve("workers"))) {
            WorkOrder order = order(HostileArchives.gnuLongName(64L * 1024 * 1024), registry.host(), "long-name");
            List<WorkerMessage> progress = new CopyOnWriteArrayList<>();

            WorkerMessage outcome = workers.run("stage-8", new WorkOrder(order.archive(), order.workDir(),
                    order.image(), order.labels(), budgetOff, order.build(), order.fileSizeLimit()), progress::add);

            assertThat(failure(outcome).reason()).isEqualTo(ReasonCodes.STAGE_MEMORY_LIMIT);
            assertThat(failure(outcome).step()).isEqualTo(StageStep.UNPACK);
            assertThat(failure(outcome).message()).contains("64 MB", "slipway.staging.worker.memory");
            // the JVM's last words reach the stage's log
            assertThat(progress).filteredOn(WorkerMessage.Logged.class::isInstance)
                    .extracting(message -> ((WorkerMessage.Logged) message).line())
                    .anyMatch(line -> line.contains("OutOfMemoryError"));
        }
    }

    @Test
    void aWorkerGetsNoneOfTheServicesEnvironment() throws Exception {
        try (StageWorkers workers = new StageWorkers(settings("5m", "1m", "2GB"), home.resolve("workers"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> workers.status().sparesReady() == 1);
            ProcessHandle worker = ProcessHandle.current().descendants()
                    .filter(process -> commandLine(process).contains(StageWorkerMain.class.getName()))
                    .findFirst().orElseThrow();

            String environ = Files.readString(Path.of("/proc", String.valueOf(worker.pid()), "environ"));

            assertThat(environ.split("\0")).extracting(variable -> variable.substring(0, variable.indexOf('=')))
                    .containsExactlyInAnyOrder("PATH", "HOME", "LANG");
        }
    }

    @Test
    void closingWhileAReplacementWorkerStartsLeavesNoWorkerAndNoFileBehind() throws Exception {
        Path workerHome = home.resolve("workers");
        StageWorkers workers = new StageWorkers(settings("5m", "1m", "2GB"), workerHome);
        await().atMost(Duration.ofSeconds(30)).until(() -> workers.status().sparesReady() == 1);
        WorkerMessage refused = workers.run("refused", order(Archives.tarGz(Map.of("../escape", "x")), registry.host(),
                "closing"), message -> { });
        assertThat(failure(refused).reason()).isEqualTo(ReasonCodes.ARCHIVE_UNSAFE_PATH);

        // the failed worker is gone; its replacement is being launched
        await().atMost(Duration.ofSeconds(30)).until(() -> workerProcesses(workerHome).findAny().isPresent());
        workers.close();

        assertThat(workerProcesses(workerHome)).isEmpty();
        try (var left = Files.list(workerHome)) {
            assertThat(left).as("scratch folders and logs of the closed workers").isEmpty();
        }
    }

    /** The live workers started under {@code workerHome} (their temp folder is there), not those of other tests. */
    private static Stream<ProcessHandle> workerProcesses(Path workerHome) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(process -> commandLine(process).contains(StageWorkerMain.class.getName()))
                .filter(process -> commandLine(process).contains("-Djava.io.tmpdir=" + workerHome));
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"));
        } catch (IOException gone) {
            return "";
        }
    }

    private WorkerMessage.Failed failure(WorkerMessage outcome) {
        assertThat(outcome).isInstanceOf(WorkerMessage.Failed.class);
        return (WorkerMessage.Failed) outcome;
    }

    private static WorkerSettings settings(String cpuTime, String timeout, String maxFileSize) {
        return new WorkerSettings(DataSize.ofMegabytes(256), Duration.parse("PT" + cpuTime.toUpperCase()),
                Duration.parse("PT" + timeout.toUpperCase()), DataSize.parse(maxFileSize), 1024, 1, 25, "", "");
    }

    private WorkOrder order(byte[] archive, String registryHost, String app) {
        return order(archive, registryHost, app, DataSize.ofGigabytes(2));
    }

    private WorkOrder order(byte[] archive, String registryHost, String app, DataSize fileSizeLimit) {
        try {
            Path work = Files.createDirectories(home.resolve("stage-" + app));
            Path source = Files.write(work.resolve("source"), archive);
            BuildProperties build = new BuildProperties(registryHost, "", "", true, Map.of("static",
                    registryHost + "/" + BaseImages.BUSYBOX), 1, Duration.ofMillis(100), home.resolve("cache").toString());
            return new WorkOrder(source.toString(), work.toString(), registryHost + "/workspace-" + app + ":1",
                    Map.of("dev.slipway.app", "workspace/" + app), UnpackLimits.defaults(), build, fileSizeLimit.toBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
