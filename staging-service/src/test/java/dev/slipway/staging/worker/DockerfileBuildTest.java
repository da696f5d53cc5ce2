package dev.slipway.staging.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.staging.build.BuildInputs;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.podman.BuildContainerSettings;
import dev.slipway.staging.unpack.UnpackLimits;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.podman.PodmanCli;
import dev.slipway.testsupport.registry.RegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Dockerfile sources built by real podman (runc) from a real stage worker, pushed to Debian's registry:
 * the example app builds and answers, and the build's walls hold (network, memory, base images,
 * Dockerfiles outside the source).
 */
class DockerfileBuildTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "dockerfile-app");

    @TempDir
    static Path home;
    private static RegistryServer registry;
    private static StageWorkers workers;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(PodmanCli.works(), "podman is not installed or does not answer");
        registry = RegistryServer.open(home.resolve("registry"));
        BaseImages.pushBusybox(registry.host(), "", "");
        workers = new StageWorkers(new WorkerSettings(DataSize.ofMegabytes(256), Duration.ofMinutes(5),
                Duration.ofMinutes(5), DataSize.ofGigabytes(2), 1024, 1, 25, "", ""), home.resolve("workers"));
    }

    @AfterAll
    static void stop() {
        if (workers != null) {
            workers.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theDockerfileExampleIsBuiltPushedAndAnswersAndAWarmBuildReusesItsLayers() throws Exception {
        Map<String, String> files = example();
        Path cache = home.resolve("cache-example");

        long coldStarted = System.nanoTime();
        List<WorkerMessage> progress = new CopyOnWriteArrayList<>();
        WorkerMessage cold = workers.run("example-1", order("example", "1", files, new BuildInputs(Map.of(), false,
                null, cache.toString()), settings(DataSize.ofMegabytes(256))), progress::add);
        long coldMillis = (System.nanoTime() - coldStarted) / 1_000_000;

        WorkerMessage.Built built = built(cold);
        assertThat(built.appKind()).isEqualTo("dockerfile");
        assertThat(built.reference()).isEqualTo(registry.host() + "/workspace-example:1");
        assertThat(built.digest()).startsWith("sha256:");
        assertThat(registry.labels("workspace-example", "1")).containsEntry("dev.slipway.app", "workspace/example");
        assertThat(lines(progress)).anyMatch(line -> line.contains("STEP 1/"));
        assertThat(progress).filteredOn(WorkerMessage.StepFinished.class::isInstance)
                .extracting(message -> ((WorkerMessage.StepFinished) message).detail())
                .anyMatch(detail -> detail.contains("Dockerfile: Dockerfile"));
        assertThat(answer(built.reference())).contains("Hello from a Dockerfile");

        files.put("public/index.html", files.get("public/index.html").replace("Hello", "Hello again"));
        long warmStarted = System.nanoTime();
        List<WorkerMessage> warmProgress = new CopyOnWriteArrayList<>();
        WorkerMessage warm = workers.run("example-2", order("example", "2", files, new BuildInputs(Map.of(), false,
                null, cache.toString()), settings(DataSize.ofMegabytes(256))), warmProgress::add);
        long warmMillis = (System.nanoTime() - warmStarted) / 1_000_000;

        assertThat(answer(built(warm).reference())).contains("Hello again from a Dockerfile");
        // the step before the changed file came from the app's layer cache
        assertThat(lines(warmProgress)).anyMatch(line -> line.startsWith("--> Using cache " + cachedStepId(progress)));
        assertThat(lines(progress)).noneMatch(line -> line.contains("Using cache"));
        System.out.printf("dockerfile-app: cold build+push %d ms, warm (one file changed) %d ms%n", coldMillis,
                warmMillis);
        // the pushed image's name left the app's store; its layers stayed, as the cache
        // (podman's container database remembers the last stage's run folder: a look from outside starts it anew)
        Path runRoot = Files.createTempDirectory(Path.of("/tmp"), "rr");
        Files.deleteIfExists(cache.resolve("podman/root/libpod/bolt_state.db"));
        PodmanCli.Result images = PodmanCli.run("--root", cache.resolve("podman/root").toString(), "--runroot",
                runRoot.toString(), "--tmpdir", runRoot.resolve("libpod").toString(), "--storage-opt",
                "overlay.skip_mount_home=true", "images", "--format", "{{.Repository}}:{{.Tag}}");
        assertThat(images.exitCode()).as(images.output()).isZero();
        assertThat(images.output()).doesNotContain("workspace-example");
        Folders.deleteQuietly(runRoot);
    }

    @Test
    void aBaseImageThatCannotBePulledIsNamed() {
        WorkerMessage outcome = workers.run("unpullable", order("unpullable", "1", Map.of("Dockerfile",
                "FROM 127.0.0.1:1/nothing:1\nRUN true\n"), BuildInputs.NONE, settings(DataSize.ofMegabytes(256))),
                message -> { });

        WorkerMessage.Failed failed = failure(outcome);
        assertThat(failed.reason()).isEqualTo(ReasonCodes.BASE_IMAGE_UNAVAILABLE);
        assertThat(failed.step()).isEqualTo(StageStep.BUILD);
        assertThat(failed.message()).contains("127.0.0.1:1/nothing:1", "FROM", "slipway/base-busybox");
    }

    @Test
    void anotherAppsImageInThePlatformsRegistryIsNoBase() throws Exception {
        built(workers.run("victim", order("victim", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\nCOPY secret.txt /data/secret.txt\n",
                "secret.txt", "the victim's secret\n"),
                BuildInputs.NONE, settings(DataSize.ofMegabytes(256))), message -> { }));

        WorkerMessage outcome = workers.run("thief", order("thief", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/workspace-victim:1\nRUN busybox cat /data/secret.txt\n"), BuildInputs.NONE,
                settings(DataSize.ofMegabytes(256))), message -> { });

        assertThat(failure(outcome).reason()).isEqualTo(ReasonCodes.BASE_IMAGE_UNAVAILABLE);
        assertThat(failure(outcome).message()).contains("workspace-victim:1", "may not be used");
    }

    @Test
    void aRunStepReachesNeitherThePlatformsLoopbackNorTheHostThroughItsGateway() {
        String port = registry.host().substring(registry.host().lastIndexOf(':') + 1);
        String probe = "probe() { if busybox nc -w 2 \"$2\" \"$3\" -e busybox true </dev/null >/dev/null 2>&1; "
                + "then busybox echo \"$1 open\"; else busybox echo \"$1 closed\"; fi; }; "
                // the control: nc works here, a listener of the step's own answers
                + "(busybox nc -l -p 9999 -e busybox true &); busybox sleep 1; probe self 127.0.0.1 9999; "
                + "probe registry-loopback 127.0.0.1 " + port + "; "
                + "gateway=$(busybox ip route | busybox awk '/^default/ { print $3; exit }'); "
                + "probe registry-gateway \"$gateway\" " + port;
        List<WorkerMessage> progress = new CopyOnWriteArrayList<>();

        WorkerMessage outcome = workers.run("walls", order("walls", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\nRUN " + probe + "\n"), BuildInputs.NONE,
                settings(DataSize.ofMegabytes(256))), progress::add);

        built(outcome);
        assertThat(lines(progress)).contains("self open", "registry-loopback closed", "registry-gateway closed");
    }

    @Test
    void aDockerfileOutsideTheSourceOrBehindALinkIsRefused() {
        WorkerMessage escaping = workers.run("escape", order("escape", "1", Map.of("index.html", "x"),
                new BuildInputs(Map.of(), false, "../x", null), settings(DataSize.ofMegabytes(256))), message -> { });
        WorkerMessage missing = workers.run("missing", order("missing", "1", Map.of("index.html", "x"),
                new BuildInputs(Map.of(), false, "build/Dockerfile", null), settings(DataSize.ofMegabytes(256))),
                message -> { });

        assertThat(failure(escaping).reason()).isEqualTo(ReasonCodes.ARCHIVE_UNSAFE_PATH);
        assertThat(failure(escaping).message()).contains("../x");
        assertThat(failure(missing).reason()).isEqualTo(ReasonCodes.BUILDER_NOT_DETECTED);
        assertThat(failure(missing).message()).contains("build/Dockerfile", "--dockerfile");
    }

    @Test
    void aBuildStepOverItsMemoryLimitFailsNamingTheLimit() {
        WorkerMessage outcome = workers.run("hog", order("hog", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\n"
                + "RUN grow=x; while true; do grow=\"$grow$grow\"; done\n"), BuildInputs.NONE,
                settings(DataSize.ofMegabytes(64))), message -> { });

        assertThat(failure(outcome).reason()).as(failure(outcome).message()).isEqualTo(ReasonCodes.STAGE_MEMORY_LIMIT);
        assertThat(failure(outcome).message()).contains("64 MB", "slipway.staging.build-container.memory");
    }

    @Test
    void aCacheMountOutsideTheStoreIsRefusedBeforeAnythingRuns() throws Exception {
        Path host = Files.createDirectories(home.resolve("host-folder"));
        String escape = "../".repeat(12) + host.toString().substring(1);
        WorkerMessage outcome = workers.run("mount", order("mount", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\n"
                + "RUN --mount=type=cache,id=" + escape + ",target=/h busybox touch /h/written-from-a-build\n"),
                BuildInputs.NONE, settings(DataSize.ofMegabytes(256))), message -> { });

        assertThat(failure(outcome).reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
        assertThat(failure(outcome).message()).contains("line 3", "RUN --mount", "is not allowed");
        assertThat(host.resolve("written-from-a-build")).doesNotExist();
    }

    @Test
    void addOfTheLocalRegistrysCatalogIsRefusedBeforeAnyFetch() {
        List<WorkerMessage> progress = new CopyOnWriteArrayList<>();
        WorkerMessage outcome = workers.run("catalog", order("catalog", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\n"
                + "ADD http://" + registry.host() + "/v2/_catalog /catalog\nRUN busybox cat /catalog\n"),
                BuildInputs.NONE, settings(DataSize.ofMegabytes(256))), progress::add);

        assertThat(failure(outcome).reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
        assertThat(failure(outcome).message()).contains("line 3", "ADD http://", "COPY");
        // refused before podman ran: no step started, nothing fetched
        assertThat(lines(progress)).noneMatch(line -> line.contains("STEP"));
    }

    @Test
    void anotherAppsImageIsNoSourceForCopyFromEither() throws Exception {
        built(workers.run("owner", order("owner", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\nCOPY secret.txt /data/secret.txt\n",
                "secret.txt", "the owner's secret\n"), BuildInputs.NONE, settings(DataSize.ofMegabytes(256))),
                message -> { }));

        WorkerMessage outcome = workers.run("copier", order("copier", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\n"
                + "COPY --from=" + registry.host() + "/workspace-owner:1 /data/secret.txt /stolen.txt\n"),
                BuildInputs.NONE, settings(DataSize.ofMegabytes(256))), message -> { });

        assertThat(failure(outcome).reason()).as(failure(outcome).message())
                .isEqualTo(ReasonCodes.BASE_IMAGE_UNAVAILABLE);
        assertThat(failure(outcome).message()).contains("workspace-owner:1", "may not be used");
    }

    @Test
    void aBaseImagesOnbuildTriggerIsHeldToTheDockerfilesRules() throws Exception {
        // an image the app could start from (its own repository) whose trigger mounts a host folder
        Path host = Files.createDirectories(home.resolve("trigger-target"));
        Path context = Files.createDirectories(home.resolve("onbuild-base"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + registry.host() + "/slipway/base-busybox:1\n"
                + "ONBUILD RUN --mount=type=cache,id=" + "../".repeat(12) + host.toString().substring(1)
                + ",target=/h busybox touch /h/written-by-a-trigger\n");
        String base = registry.host() + "/workspace-heir:0";
        PodmanCli.Result made = PodmanCli.run("build", "--format", "docker", "--tls-verify=false", "--tag", base,
                context.toString());
        assertThat(made.exitCode()).as(made.output()).isZero();
        PodmanCli.Result pushed = PodmanCli.run("push", "--tls-verify=false", base);
        assertThat(pushed.exitCode()).as(pushed.output()).isZero();
        PodmanCli.run("rmi", "--ignore", base);

        WorkerMessage outcome = workers.run("heir", order("heir", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/workspace-heir:0\nRUN busybox true\n"), BuildInputs.NONE,
                settings(DataSize.ofMegabytes(256))), message -> { });

        assertThat(failure(outcome).reason()).as(failure(outcome).message()).isEqualTo(ReasonCodes.BUILD_FAILED);
        assertThat(failure(outcome).message()).contains("workspace-heir:0", "ONBUILD RUN --mount", "is not allowed");
        assertThat(host.resolve("written-by-a-trigger")).doesNotExist();
    }

    @Test
    void aBuildPastItsDeadlineLeavesNoProcessAndNoCgroupBehind() {
        String marker = String.valueOf(100_000 + ProcessHandle.current().pid() % 50_000);
        BuildContainerSettings fiveSeconds = new BuildContainerSettings(DataSize.ofMegabytes(256), 128, 1024,
                Duration.ofSeconds(5), "podman", "runc", "slipway_test_build", "");

        WorkerMessage outcome = workers.run("sleeper", order("sleeper", "1", Map.of("Dockerfile", "ARG SLIPWAY_REGISTRY\n"
                + "FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\nRUN busybox sleep " + marker + "\n"),
                BuildInputs.NONE, fiveSeconds), message -> { });

        assertThat(failure(outcome).reason()).isEqualTo(ReasonCodes.STAGE_TIMEOUT);
        assertThat(ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                .orElse("").contains("sleep " + marker))).as("the step's processes").isEmpty();
        try (Stream<Path> cgroups = Files.list(Path.of("/sys/fs/cgroup/pids"))) {
            assertThat(cgroups.map(path -> path.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("slipway-build-stage-sleeper-1-"));
        } catch (IOException noCgroupV1) {
            try (Stream<Path> cgroups = Files.list(Path.of("/sys/fs/cgroup"))) {
                assertThat(cgroups.map(path -> path.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("slipway-build-stage-sleeper-1-"));
            } catch (IOException unreadable) {
                // no cgroup file system to look at: the process check above stands alone
            }
        }
    }

    /** Pulls the image, runs it once on a loopback port and answers what {@code /} serves. */
    private static String answer(String image) throws Exception {
        int port = FreePorts.next();
        String name = "dockerfile-test-" + port;
        PodmanCli.Result run = PodmanCli.run("run", "-d", "--rm", "--name", name, "--tls-verify=false", "--pull=always",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "-e", "PORT=8080", "-p", "127.0.0.1:" + port + ":8080", image);
        assertThat(run.exitCode()).as(run.output()).isZero();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String[] body = new String[1];
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                body[0] = response.body();
                return response.statusCode() == 200;
            });
            return body[0];
        } finally {
            PodmanCli.run("rm", "-f", "-t", "0", name);
            PodmanCli.run("rmi", "--ignore", image);
        }
    }

    private static Map<String, String> example() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(EXAMPLE)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(EXAMPLE.relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }

    private static BuildContainerSettings settings(DataSize memory) {
        return new BuildContainerSettings(memory, 128, 1024, Duration.ofMinutes(4), "podman", "runc",
                "slipway_test_build", "");
    }

    private static WorkOrder order(String app, String tag, Map<String, String> files, BuildInputs inputs,
                                   BuildContainerSettings settings) {
        try {
            Path work = Files.createDirectories(home.resolve("stage-" + app + "-" + tag));
            Path source = Files.write(work.resolve("source"), Archives.tarGz(files));
            BuildProperties build = new BuildProperties(registry.host(), "", "", true, Map.of(), 1,
                    Duration.ofMillis(100), home.resolve("jib-cache").toString());
            return new WorkOrder(source.toString(), work.toString(), registry.host() + "/workspace-" + app + ":" + tag,
                    Map.of("dev.slipway.app", "workspace/" + app), UnpackLimits.defaults(), build,
                    DataSize.ofGigabytes(2).toBytes(), inputs, settings);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The layer id the cold build made for its RUN step, as podman prints it ({@code --> 0123456789a}). */
    private static String cachedStepId(List<WorkerMessage> progress) {
        List<String> lines = lines(progress);
        int run = lines.indexOf(lines.stream().filter(line -> line.contains(": RUN ")).findFirst().orElseThrow());
        for (String line : lines.subList(run, lines.size())) {
            if (line.startsWith("--> ")) {
                return line.substring("--> ".length()).strip();
            }
        }
        throw new AssertionError("no RUN step in " + lines);
    }

    private static List<String> lines(List<WorkerMessage> progress) {
        return progress.stream().filter(WorkerMessage.Logged.class::isInstance)
                .map(message -> ((WorkerMessage.Logged) message).line()).toList();
    }

    private static WorkerMessage.Built built(WorkerMessage outcome) {
        assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(WorkerMessage.Built.class);
        return (WorkerMessage.Built) outcome;
    }

    private static WorkerMessage.Failed failure(WorkerMessage outcome) {
        assertThat(outcome).isInstanceOf(WorkerMessage.Failed.class);
        return (WorkerMessage.Failed) outcome;
    }
}
