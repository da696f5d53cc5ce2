package dev.slipway.staging.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.staging.build.BuildInputs;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.language.LanguageBuild;
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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Language builds for real, through a stage worker: the examples built in the build container with
 * podman, their images pushed to Debian's registry, run once with podman and asked over HTTP; a
 * second push of the same app with one file changed reuses the app's cache (cold and warm times are
 * printed). And the build container's walls: no way to this machine's loopback, a memory limit that
 * ends the build with a reason naming it.
 */
class LanguageBuildsTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    /** A network of this test's own, so that it never touches a running platform's. */
    private static final String NETWORK = "slipway_test_" + UUID.randomUUID().toString().substring(0, 8) + "_build";

    private static RegistryServer registry;

    @TempDir
    static Path home;

    @BeforeAll
    static void registryWithBases() throws Exception {
        assumeTrue(PodmanCli.works(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-registry")),
                "Debian's docker-registry is not installed here (scripts/setup-debian.sh installs it)");
        registry = RegistryServer.open(Files.createTempDirectory("slipway-language-registry"));
        BaseImages.pushBusybox(registry.host(), null, null);
        if (Files.isExecutable(Path.of("/usr/bin/node"))) {
            BaseImages.pushNode(registry.host(), null, null);
        }
    }

    @AfterAll
    static void cleanUp() {
        if (registry != null) {
            registry.close();
            PodmanCli.run("network", "rm", "-f", NETWORK);
        }
    }

    @Test
    void theNodeExampleIsBuiltAnsweredAndRebuiltWarmWithItsCache() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")) && Files.isExecutable(Path.of("/usr/bin/npm")),
                "node and npm are not installed here (scripts/setup-debian.sh installs them)");
        Map<String, String> app = folder(EXAMPLES.resolve("node-app"));
        Path cache = home.resolve("cache/node-app");

        Timed cold = build("node-cold", app, cache, "node-app");
        assertThat(cold.outcome()).isInstanceOf(WorkerMessage.Built.class);
        assertThat(((WorkerMessage.Built) cold.outcome()).appKind()).isEqualTo("node");
        assertThat(cold.log()).anyMatch(line -> line.contains("npm ci"));
        assertThat(answer(((WorkerMessage.Built) cold.outcome()).reference())).contains("hello from node-app");
        // the language builds' own folder of the app's cache, the only part a build container sees
        assertThat(cache.resolve(LanguageBuild.LANGUAGE_CACHE).resolve("npm")).isDirectory();

        Map<String, String> changed = new TreeMap<>(app);
        changed.put("server.js", app.get("server.js").replace("hello from node-app", "hello again from node-app"));
        Timed warm = build("node-warm", changed, cache, "node-app");
        assertThat(warm.outcome()).isInstanceOf(WorkerMessage.Built.class);
        assertThat(answer(((WorkerMessage.Built) warm.outcome()).reference())).contains("hello again from node-app");
        System.out.printf("[language builds] node-app: cold build %d ms, warm build %d ms%n", cold.millis(),
                warm.millis());
    }

    @Test
    void theGoExampleIsBuiltIntoOneBinaryAnsweredAndRebuiltWarmWithItsCache() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/go")), "go is not installed here (apt-get install golang-go)");
        Map<String, String> app = folder(EXAMPLES.resolve("go-app"));
        Path cache = home.resolve("cache/go-app");

        Timed cold = build("go-cold", app, cache, "go-app");
        assertThat(cold.outcome()).isInstanceOf(WorkerMessage.Built.class);
        WorkerMessage.Built built = (WorkerMessage.Built) cold.outcome();
        assertThat(built.appKind()).isEqualTo("go");
        assertThat(answer(built.reference())).contains("hello from go-app");
        // the image holds the binary alone: one layer over the busybox base
        assertThat(registry.manifest("workspace-go-app", "go-cold")).get()
                .satisfies(manifest -> assertThat(manifest.path("layers").size()).isEqualTo(2));

        Map<String, String> changed = new TreeMap<>(app);
        changed.put("main.go", app.get("main.go").replace("hello from go-app", "hello again from go-app"));
        Timed warm = build("go-warm", changed, cache, "go-app");
        assertThat(warm.outcome()).isInstanceOf(WorkerMessage.Built.class);
        assertThat(answer(((WorkerMessage.Built) warm.outcome()).reference())).contains("hello again from go-app");
        assertThat(cache.resolve(LanguageBuild.LANGUAGE_CACHE).resolve("go/build")).isDirectory();
        System.out.printf("[language builds] go-app: cold build %d ms, warm build %d ms%n", cold.millis(),
                warm.millis());
    }

    @Test
    void thePythonExampleRunsOnThePythonBaseMadeFromDebiansPython() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed here");
        BaseImages.pushPython(registry.host(), null, null);

        Timed built = build("python", folder(EXAMPLES.resolve("python-app")), home.resolve("cache/python-app"),
                "python-app");

        assertThat(built.outcome()).isInstanceOf(WorkerMessage.Built.class);
        assertThat(built.log()).anyMatch(line -> line.contains("no requirements"));
        assertThat(answer(((WorkerMessage.Built) built.outcome()).reference())).contains("hello from python-app");
    }

    @Test
    void aBuildCannotReachThePlatformsPortsOnThisMachine() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is not installed here");
        String registryPort = registry.host().substring(registry.host().lastIndexOf(':') + 1);
        // tries the registry's port on the container's loopback and on its gateway (an address of this machine)
        String probe = """
                const net = require('net');
                const fs = require('fs');
                const gateway = fs.readFileSync('/proc/net/route', 'utf8').split('\\n').slice(1)
                    .map(line => line.trim().split(/\\s+/)).filter(f => f[1] === '00000000')
                    .map(f => f[2].match(/../g).reverse().map(h => parseInt(h, 16)).join('.'))[0];
                const targets = ['127.0.0.1', gateway].filter(Boolean);
                let left = targets.length;
                for (const host of targets) {
                  const socket = net.connect({ host, port: PORT, timeout: 3000 });
                  socket.on('connect', () => { console.log('REACHED ' + host); process.exit(0); });
                  const blocked = reason => { console.log('BLOCKED ' + host + ' ' + reason); socket.destroy();
                      if (--left === 0) process.exit(1); };
                  socket.on('error', error => blocked(error.code));
                  socket.on('timeout', () => blocked('timeout'));
                }
                """.replace("PORT", registryPort);
        Map<String, String> app = Map.of("package.json", """
                {"name": "probe", "version": "1.0.0", "scripts": {"build": "node probe.js", "start": "node probe.js"}}
                """, "probe.js", probe);

        Timed probed = build("wall-network", app, home.resolve("cache/probe"), "probe");

        WorkerMessage.Failed failed = failure(probed.outcome());
        assertThat(failed.reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
        assertThat(failed.message()).contains("BLOCKED 127.0.0.1").doesNotContain("REACHED");
        assertThat(probed.log()).anyMatch(line -> line.startsWith("BLOCKED 10.") || line.startsWith("BLOCKED 172."))
                .noneMatch(line -> line.startsWith("REACHED"));
    }

    @Test
    void aBuildOverItsMemoryLimitEndsWithTheLimitNamed() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is not installed here");
        Map<String, String> app = Map.of("package.json", """
                {"name": "hog", "version": "1.0.0", "scripts": {"build": "node hog.js", "start": "node hog.js"}}
                """, "hog.js", "const kept = []; while (true) kept.push(Buffer.alloc(8 * 1024 * 1024, 1));\n");
        BuildContainerSettings small = new BuildContainerSettings(DataSize.ofMegabytes(128), 256, 1024,
                Duration.ofMinutes(2), "podman", "runc", NETWORK, "");

        long started = System.nanoTime();
        Timed hog = build("wall-memory", app, home.resolve("cache/hog"), "hog", small);

        WorkerMessage.Failed failed = failure(hog.outcome());
        assertThat(failed.reason()).isEqualTo(ReasonCodes.STAGE_MEMORY_LIMIT);
        assertThat(failed.step()).isEqualTo(StageStep.BUILD);
        assertThat(failed.message()).contains("128 MB", "slipway.staging.build-container.memory");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(2));
    }

    @Test
    void theBuildSeesItsBuildEnvButNeitherItsLogNorItsFailureShowsTheValue() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "node is not installed here");
        Map<String, String> app = Map.of("package.json", """
                {"name": "leaky", "version": "1.0.0", "scripts": {"build": "node build.js", "start": "node build.js"}}
                """, "build.js", "console.log('token is ' + process.env.API_TOKEN); process.exit(3);\n");

        Timed leaky = build("env-mask", app, home.resolve("cache/leaky"), "leaky", new BuildContainerSettings(
                DataSize.ofGigabytes(1), 1024, 1024, Duration.ofMinutes(2), "podman", "runc", NETWORK, ""),
                Map.of("API_TOKEN", "s3cr3t-token-value"));

        WorkerMessage.Failed failed = failure(leaky.outcome());
        assertThat(failed.reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
        assertThat(failed.message()).contains("token is ***").doesNotContain("s3cr3t");
        assertThat(leaky.log()).anyMatch(line -> line.contains("token is ***"))
                .noneMatch(line -> line.contains("s3cr3t"));
    }

    private record Timed(WorkerMessage outcome, List<String> log, long millis) {
    }

    private Timed build(String tag, Map<String, String> files, Path cache, String app) throws Exception {
        return build(tag, files, cache, app, new BuildContainerSettings(DataSize.ofGigabytes(1), 1024, 1024,
                Duration.ofMinutes(5), "podman", "runc", NETWORK, ""));
    }

    private Timed build(String tag, Map<String, String> files, Path cache, String app,
                        BuildContainerSettings container) throws Exception {
        return build(tag, files, cache, app, container, Map.of());
    }

    private Timed build(String tag, Map<String, String> files, Path cache, String app,
                        BuildContainerSettings container, Map<String, String> buildEnv) throws Exception {
        WorkerSettings settings = new WorkerSettings(DataSize.ofMegabytes(256), Duration.ofMinutes(5),
                Duration.ofMinutes(6), DataSize.ofGigabytes(2), 1024, 0, 25, "", "");
        try (StageWorkers workers = new StageWorkers(settings, home.resolve("workers-" + tag))) {
            Path work = Files.createDirectories(home.resolve("stage-" + tag));
            Path source = Files.write(work.resolve("source"), Archives.tarGz(files));
            String base = registry.host() + "/";
            BuildProperties build = new BuildProperties(registry.host(), "", "", true, Map.of(
                    "static", base + BaseImages.BUSYBOX, "go", base + BaseImages.BUSYBOX,
                    "node", base + BaseImages.NODE, "python", base + BaseImages.PYTHON), 1, Duration.ofMillis(100), home.resolve("jib-cache").toString());
            WorkOrder order = new WorkOrder(source.toString(), work.toString(),
                    registry.host() + "/workspace-" + app + ":" + tag, Map.of("dev.slipway.app", "workspace/" + app),
                    UnpackLimits.defaults(), build, DataSize.ofGigabytes(2).toBytes(),
                    new BuildInputs(buildEnv, false, null, cache.toString()), container);
            List<String> log = new CopyOnWriteArrayList<>();
            long started = System.nanoTime();
            WorkerMessage outcome = workers.run(tag, order, message -> {
                if (message instanceof WorkerMessage.Logged logged) {
                    log.add(logged.line());
                }
            });
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (!(outcome instanceof WorkerMessage.Built)) {
                System.out.println("[language builds] " + tag + " log:\n  " + String.join("\n  ", log));
            }
            return new Timed(outcome, log, millis);
        }
    }

    /** Runs the image once with podman, as the local runtime would, and answers what it says over HTTP. */
    private static String answer(String image) throws Exception {
        int port = FreePorts.next();
        String name = "slipway-language-test-" + UUID.randomUUID().toString().substring(0, 8);
        PodmanCli.Result started = PodmanCli.run("--runtime", "runc", "run", "-d", "--name", name,
                "--tls-verify=false", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096",
                "-e", "PORT=" + port, "-p", "127.0.0.1:" + port + ":" + port, image);
        assertThat(started.exitCode()).as(started.output()).isZero();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(5)).build();
            return await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> client.send(request, HttpResponse.BodyHandlers.ofString()),
                            response -> response.statusCode() == 200).body();
        } finally {
            PodmanCli.run("rm", "-f", "-t", "0", name);
            PodmanCli.run("rmi", "-f", image);
        }
    }

    private static Map<String, String> folder(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(file).toString(), Files.readString(file));
            }
        }
        return files;
    }

    private static WorkerMessage.Failed failure(WorkerMessage outcome) {
        assertThat(outcome).isInstanceOf(WorkerMessage.Failed.class);
        return (WorkerMessage.Failed) outcome;
    }
}
