package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.cli.CliRun;
import dev.slipway.events.EventJson;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.archives.HostileArchives;
import dev.slipway.testsupport.http.Routed;
import dev.slipway.testsupport.images.NetworkProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Local mode end to end, the way a user runs it: the whole platform on this machine (embedded
 * Kafka and S3, Debian's docker-registry, podman with runc, the local router), driven by the real
 * {@code slipway} CLI, every app answering over HTTP through the router.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalModeEndToEndTest {

    private static final String OTHER_NAMESPACE = "elsewhere";
    private static final Path EXAMPLES = Path.of(System.getProperty("slipway.services.dir", ".."), "examples");

    @TempDir
    static Path work;

    private LocalPlatform platform;
    private LocalOptions options;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(podmanInstalled(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        platform = LocalPlatform.start(LocalOptions.freePorts(work.resolve("data")));
        options = platform.options();
    }

    @AfterAll
    void stop() throws Exception {
        if (platform != null) {
            for (String app : List.of("static-site", "procfile-app", "hello-jar", "twin-a", "twin-b", "later", "hostile",
                    "after-hostile", "probe", "hog", "node-app", "python-app", "go-app", "maven-app", "dockerfile-app",
                    "built-with-env", "crasher")) {
                slipway("apps", "delete", app, "--yes");
            }
            slipway("apps", "delete", "stranger", "-n", OTHER_NAMESPACE, "--yes");
            platform.close();
        }
        if (options != null) {
            PodmanLeftovers.remove(PodmanLeftovers.installationOf(options.dataDir()));
        }
    }

    @Test
    @Order(1)
    void eachExampleIsPushedInItsOwnArchiveFormatAndAnswersAtItsUrl() throws Exception {
        CliRun site = slipway("push", EXAMPLES.resolve("static-site").toString());  // the CLI packs a tar.gz
        assertThat(site.exitCode()).as(site.err()).isZero();
        String siteUrl = "http://static-site.localhost:" + platform.routerPort();
        assertThat(site.out()).contains("online at " + siteUrl);
        Routed.Answer page = Routed.get(siteUrl);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("Hello from Slipway");

        Path zip = zip(EXAMPLES.resolve("procfile-app"), work.resolve("procfile-app.zip"));
        CliRun procfile = slipway("push", zip.toString(), "--name", "procfile-app", "--instances", "2",
                "--env", "GREETING=bonjour");
        assertThat(procfile.exitCode()).as(procfile.err()).isZero();
        assertThat(procfile.out()).contains("2/2 instances ready");
        Routed.Answer hello = Routed.get("http://procfile-app.localhost:" + platform.routerPort() + "/cgi-bin/hello");
        assertThat(hello.status()).isEqualTo(200);
        assertThat(hello.body()).startsWith("bonjour from instance on port");
    }

    @Test
    @Order(2)
    void anExecutableJarRunsOnTheJvmBaseImage() throws Exception {
        Path folder = work.resolve("hello-jar");
        Files.createDirectories(folder);
        JarApps.httpServer(folder.resolve("app.jar"), "hello from a jar");

        CliRun push = slipway("push", folder.toString());

        assertThat(push.exitCode()).as(push.err()).isZero();
        assertThat(push.out()).contains("executable jar: app.jar");
        Routed.Answer answer = Routed.get("http://hello-jar.localhost:" + platform.routerPort());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("hello from a jar");
    }

    @Test
    @Order(2)
    void everyLanguageExampleAndTheDockerfileAppIsBuiltFromSourceAndAnswersAtItsUrl() throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("node-app", "hello from node-app (Node v");
        answers.put("python-app", "hello from python-app (Python 3");
        answers.put("go-app", "hello from go-app (go1");
        answers.put("maven-app", "hello from maven-app (Java 17");
        answers.put("dockerfile-app", "Hello from a Dockerfile");
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Map.Entry<String, String> example : answers.entrySet()) {
            long started = System.nanoTime();
            CliRun push = slipway("push", EXAMPLES.resolve(example.getKey()).toString());
            seconds.put(example.getKey(), (System.nanoTime() - started) / 1e9);

            assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
            Routed.Answer answer = Routed.get("http://" + example.getKey() + ".localhost:" + platform.routerPort() + "/");
            assertThat(answer.status()).as(example.getKey()).isEqualTo(200);
            assertThat(answer.body()).as(example.getKey()).contains(example.getValue());
        }
        System.out.println("cold pushes from source to online, seconds: " + seconds);
    }

    @Test
    @Order(2)
    void buildEnvReachesTheBuildButNotTheImageAndAFailedBuildSaysWhyWhileTheLogArrives() throws Exception {
        Path app = work.resolve("built-with-env");
        Files.createDirectories(app);
        // the build writes what it saw into the page; the running app prints its own env
        Files.writeString(app.resolve("Dockerfile"), """
                ARG SLIPWAY_REGISTRY
                FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1
                ARG GREETING
                RUN busybox mkdir -p /www/cgi-bin && busybox echo "built with ${GREETING}" > /www/index.html \\
                    && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho "runtime sees [${GREETING}]"\\n' \\
                       > /www/cgi-bin/env && busybox chmod 755 /www/cgi-bin/env
                ENTRYPOINT ["/bin/sh", "-c", "exec busybox httpd -f -p \\"${PORT:-8080}\\" -h /www"]
                """);

        CliRun push = slipway("push", app.toString(), "--build-env", "GREETING=hola");

        assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
        String url = "http://built-with-env.localhost:" + platform.routerPort();
        assertThat(Routed.get(url + "/").body()).contains("built with hola");
        assertThat(Routed.get(url + "/cgi-bin/env").body()).contains("runtime sees []");
        String history = slipway("events", "--app", "built-with-env", "-o", "json").out();
        assertThat(history).contains("GREETING", "v1:hidden").doesNotContain("hola");

        Files.writeString(app.resolve("Dockerfile"), "FROM 127.0.0.1:1/nowhere/base:1\n");
        CliRun failed = slipway("push", app.toString(), "--no-cache");
        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.out() + failed.err()).contains("BASE_IMAGE_UNAVAILABLE", "127.0.0.1:1/nowhere/base:1");
        assertThat(Routed.get(url + "/").body()).as("the app keeps its last good release").contains("built with hola");
    }

    @Test
    @Order(3)
    void aNewVersionTakesOverWithoutOneFailedRequestAndAnUnsafeArchiveLeavesItServing() throws Exception {
        String url = "http://static-site.localhost:" + platform.routerPort();
        Path v2 = work.resolve("site-v2");
        Files.createDirectories(v2);
        Files.writeString(v2.resolve("index.html"), "<h1>version two</h1>");
        Traffic traffic = new Traffic(url, answer -> answer.body().contains("version two") ? "v2" : "v1");

        CliRun push = slipway("push", v2.toString(), "--name", "static-site");
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.seen.contains("200 v2"));
        List<String> seen = traffic.stop();

        assertThat(push.exitCode()).as(push.err()).isZero();
        assertThat(seen).hasSizeGreaterThan(10).allSatisfy(answer -> assertThat(answer).startsWith("200 "));
        assertThat(seen.get(0)).isEqualTo("200 v1");

        Path unsafe = work.resolve("unsafe.zip");
        Files.write(unsafe, Archives.of(Archives.Format.ZIP, Map.of("../../etc/evil", "x")));
        CliRun refused = slipway("push", unsafe.toString(), "--name", "static-site");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("failed at stage staging: ARCHIVE_UNSAFE_PATH");
        assertThat(Routed.get(url).body()).contains("version two");
    }

    @Test
    @Order(3)
    void hostileArchivesFailTheirOwnPushesAndTheNextPushComesOnline() throws Exception {
        Path longName = Files.write(work.resolve("long-name.tgz"), HostileArchives.gnuLongName(64L << 20));
        CliRun refused = slipway("push", longName.toString(), "--name", "hostile");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("failed at stage staging: ARCHIVE_HEADER_TOO_LARGE");

        Path hostFile = Files.write(work.resolve("host-file.tgz"), HostileArchives.linkChainToHostFile("/etc/passwd", 12));
        refused = slipway("push", hostFile.toString(), "--name", "hostile");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("failed at stage staging: ARCHIVE_UNSAFE_LINK");

        Path site = Files.createDirectories(work.resolve("after-hostile"));
        Files.writeString(site.resolve("index.html"), "<h1>unharmed</h1>");
        CliRun push = slipway("push", site.toString(), "--name", "after-hostile");
        assertThat(push.exitCode()).as(push.err()).isZero();
        assertThat(Routed.get("http://after-hostile.localhost:" + platform.routerPort()).body()).contains("unharmed");
    }

    @Test
    @Order(4)
    void aPushThatFailedWhileTheRegistryWasDownCompletesWhenReplayed() throws Exception {
        Path later = work.resolve("later");
        Files.createDirectories(later);
        Files.writeString(later.resolve("index.html"), "later");
        platform.registry().close();
        CliRun failed;
        try {
            failed = slipway("push", later.toString());
        } finally {
            platform.registry().resume();
        }
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err()).contains("REGISTRY_UNAVAILABLE", "slipway replay");
        String pushId = failed.out().lines().findFirst().orElseThrow();

        CliRun replay = slipway("replay", pushId);

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(Routed.get("http://later.localhost:" + platform.routerPort()).body()).isEqualTo("later");
    }

    @Test
    @Order(5)
    void twoAppsPushedAtOnceBothComeOnline() throws Exception {
        List<CompletableFuture<CliRun>> pushes = new ArrayList<>();
        for (String name : List.of("twin-a", "twin-b")) {
            Path folder = work.resolve(name);
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("index.html"), "I am " + name);
            pushes.add(CompletableFuture.supplyAsync(() -> slipway("push", folder.toString())));
        }
        for (CompletableFuture<CliRun> push : pushes) {
            assertThat(push.join().exitCode()).as(push.join().err()).isZero();
        }
        assertThat(Routed.get("http://twin-a.localhost:" + platform.routerPort()).body()).isEqualTo("I am twin-a");
        assertThat(Routed.get("http://twin-b.localhost:" + platform.routerPort()).body()).isEqualTo("I am twin-b");
    }

    @Test
    @Order(5)
    void everyServerOfThePlatformListensOnLoopbackOnly() throws Exception {
        Map<Integer, String> listening = MachineView.ofThisProcess();

        assertThat(listening).containsKeys(options.kafkaPort(), options.s3Port(), options.registryPort(),
                options.apiPort(), platform.routerPort());
        assertThat(listening).allSatisfy((port, address) ->
                assertThat(address).as("port %d", port).isIn("127.0.0.1", "[::ffff:127.0.0.1]"));
    }

    @Test
    @Order(5)
    void aPushedAppReachesNoPortOfThePlatformNorAnotherNamespacesAppAndStillAnswersThroughTheRouter()
            throws Exception {
        Path stranger = Files.createDirectories(work.resolve("stranger"));
        Files.writeString(stranger.resolve("index.html"), "stranger");
        CliRun other = slipway("push", stranger.toString(), "-n", OTHER_NAMESPACE);
        assertThat(other.exitCode()).as(other.err()).isZero();
        Path probeApp = NetworkProbe.writeApp(work.resolve("probe"));
        CliRun push = slipway("push", zip(probeApp, work.resolve("probe.zip")).toString(), "--name", "probe");
        assertThat(push.exitCode()).as(push.err()).isZero();
        String hostAddress = MachineView.nonLoopbackAddress();

        Set<Integer> platformPorts = MachineView.ofThisProcess().keySet();
        Map<String, String> targets = new LinkedHashMap<>();
        Map<String, String> reached;
        // a server on every address of the host, so that "closed" below is the wall and not a broken probe
        try (ServerSocket control = new ServerSocket(0)) {
            targets.put("control-host-server", "gateway:" + control.getLocalPort());
            platformPorts.forEach(port -> {
                targets.put("platform-" + port + "-via-gateway", "gateway:" + port);
                targets.put("platform-" + port + "-via-host-address", hostAddress + ":" + port);
                targets.put("platform-" + port + "-via-loopback", "127.0.0.1:" + port);
            });
            targets.put("other-namespace-app", MachineView.containerAddress(OTHER_NAMESPACE + "/stranger"));
            Routed.Answer answer = Routed.get("http://probe.localhost:" + platform.routerPort() + "/cgi-bin/probe?"
                    + NetworkProbe.query(targets));
            assertThat(answer.status()).isEqualTo(200);
            reached = NetworkProbe.states(answer.body());
        }

        assertThat(reached.keySet()).containsExactlyElementsOf(targets.keySet());
        assertThat(reached).containsEntry("control-host-server", "open")
                .containsKeys("platform-" + options.kafkaPort() + "-via-gateway",
                        "platform-" + options.registryPort() + "-via-gateway",
                        "platform-" + options.s3Port() + "-via-gateway");
        assertThat(reached).allSatisfy((target, state) -> {
            if (!target.startsWith("control-")) {
                assertThat(state).as(target).isEqualTo("closed");
            }
        });
        assertThat(Routed.get("http://stranger.localhost:" + platform.routerPort()).body()).isEqualTo("stranger");
    }

    @Test
    @Order(5)
    void anAppThatGrowsPastItsMemoryIsKilledAndThePlatformAndItsOtherAppsCarryOn() throws Exception {
        Path hogApp = zip(NetworkProbe.writeApp(work.resolve("hog")), work.resolve("hog.zip"));
        CliRun greedy = slipway("push", hogApp.toString(), "--name", "hog", "--memory", "3G");
        assertThat(greedy.exitCode()).isEqualTo(1);
        assertThat(greedy.err()).contains("memory 3072 MB is above this platform's cap of 2048 MB");
        CliRun push = slipway("push", hogApp.toString(), "--name", "hog", "--memory", "64M");
        assertThat(push.exitCode()).as(push.err()).isZero();

        Routed.Answer hog = Routed.get("http://hog.localhost:" + platform.routerPort() + "/cgi-bin/hog");

        // the kernel's OOM killer ended the growing process inside the app's own cgroup at the app's own
        // limit, usage never went past it, and busybox httpd, the app's main process, still serves
        long limit = Long.parseLong(MachineView.memoryCgroup("workspace/hog", "memory.limit_in_bytes"));
        assertThat(limit).isEqualTo(64L << 20);
        assertThat(MachineView.memoryCgroup("workspace/hog", "memory.oom_control")).containsPattern("oom_kill [1-9]");
        assertThat(Long.parseLong(MachineView.memoryCgroup("workspace/hog", "memory.max_usage_in_bytes")))
                .isLessThanOrEqualTo(limit);
        assertThat(hog.status()).isNotEqualTo(504);
        assertThat(Routed.get("http://hog.localhost:" + platform.routerPort()).body()).contains("network probe");
        assertThat(Routed.get("http://static-site.localhost:" + platform.routerPort()).status()).isEqualTo(200);
        assertThat(slipway("apps", "list").exitCode()).isZero();
    }

    @Test
    @Order(5)
    void dayTwoChangesReachTheRunningAppsWithoutARebuildOrAFailedRequestAndTheirLogsAndCrashesShow()
            throws Exception {
        String python = "http://python-app.localhost:" + platform.routerPort();
        Traffic duringScale = Traffic.to(python + "/");
        CliRun scale = slipway("apps", "scale", "python-app", "2");
        List<String> answeredDuringScale = duringScale.stop();
        assertThat(scale.exitCode()).as(scale.out() + scale.err()).isZero();
        assertThat(answeredDuringScale).isNotEmpty().allSatisfy(answer -> assertThat(answer).startsWith("200 "));
        List<String> scaled = runningInstances("python-app");
        assertThat(scaled).hasSize(2);

        // the router takes turns: a few requests reach both instances, and each prints its own lines
        for (int request = 0; request < 4; request++) {
            assertThat(Routed.get(python + "/day-two-" + request).status()).isEqualTo(200);
        }
        Map<String, List<String>> printed = await().atMost(Duration.ofSeconds(10)).until(
                () -> linesByInstance(slipway("logs", "python-app", "-o", "json")),
                lines -> scaled.stream().allMatch(instance -> lines.getOrDefault(instance, List.of()).stream()
                        .anyMatch(line -> line.contains("GET /day-two-"))));
        assertThat(printed.keySet()).containsExactlyInAnyOrderElementsOf(scaled);
        assertThat(printed.values()).allSatisfy(lines -> assertThat(lines).anyMatch(line ->
                line.startsWith("python-app listening on ")));
        CliRun plain = slipway("logs", "python-app");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).contains(scaled.get(0) + " python-app listening on ",
                scaled.get(1) + " python-app listening on ");
        String cut = java.time.Instant.now().toString();
        assertThat(Routed.get(python + "/after-the-cut").status()).isEqualTo(200);
        Map<String, List<String>> since = linesByInstance(slipway("logs", "python-app", "--since", cut, "-o", "json"));
        assertThat(since.values().stream().flatMap(List::stream))
                .anyMatch(line -> line.contains("GET /after-the-cut"))
                .noneMatch(line -> line.contains("GET /day-two-") || line.contains("listening on"));
        CliRun build = slipway("logs", "python-app", "--staging");
        assertThat(build.exitCode()).as(build.err()).isZero();
        assertThat(build.out()).as("the build log of its source push, not of the day-2 changes since")
                .contains("build build plan: no requirements; starts with python3 app.py");

        // an env var reaches the running app as a new revision of the same image (still "bonjour...", which
        // the stop-and-start test below expects of this app)
        String procfile = "http://procfile-app.localhost:" + platform.routerPort() + "/cgi-bin/hello";
        JsonNode before = show("procfile-app");
        Traffic duringEnv = Traffic.to(procfile);
        CliRun env = slipway("env", "set", "procfile-app", "GREETING=bonjour de nouveau");
        List<String> answeredDuringEnv = duringEnv.stop();
        assertThat(env.exitCode()).as(env.out() + env.err()).isZero();
        assertThat(answeredDuringEnv).isNotEmpty().allSatisfy(answer -> assertThat(answer).startsWith("200 "));
        JsonNode after = show("procfile-app");
        assertThat(after.path("image_url").asString()).as("no rebuild").isNotEmpty()
                .isEqualTo(before.path("image_url").asString());
        assertThat(after.path("stage_id").asString()).isEqualTo(before.path("stage_id").asString());
        Set<String> ports = new java.util.HashSet<>();
        for (int request = 0; request < 2; request++) {
            String hello = Routed.get(procfile).body();
            assertThat(hello).startsWith("bonjour de nouveau from instance on port ");
            ports.add(hello.strip().substring(hello.strip().lastIndexOf(' ') + 1));
        }
        assertThat(ports).as("two requests in turn reach both instances").hasSize(2);
        CliRun listed = slipway("env", "list", "procfile-app");
        assertThat(listed.out()).contains("GREETING").doesNotContain("de nouveau");

        // a restart replaces every instance while the app keeps answering
        Traffic duringRestart = Traffic.to(python + "/");
        CliRun restart = slipway("apps", "restart", "python-app");
        List<String> answeredDuringRestart = duringRestart.stop();
        assertThat(restart.exitCode()).as(restart.out() + restart.err()).isZero();
        assertThat(answeredDuringRestart).hasSizeGreaterThan(5)
                .allSatisfy(answer -> assertThat(answer).startsWith("200 "));
        assertThat(runningInstances("python-app")).hasSize(2).doesNotContainAnyElementsOf(scaled);

        // an app that crashes is started again by the runtime, and apps show counts it
        Path crasher = Files.createDirectories(work.resolve("crasher"));
        Files.writeString(crasher.resolve("index.html"), "about to crash");
        Files.writeString(crasher.resolve("Procfile"),
                "web: busybox httpd -p \"$PORT\" -h . && busybox sleep 2 && exit 3\n");
        CliRun crash = slipway("push", crasher.toString());
        assertThat(crash.exitCode()).as(crash.out() + crash.err()).isZero();
        JsonNode crashed = await().atMost(Duration.ofSeconds(30)).until(() -> show("crasher"),
                app -> app.path("instances").path(0).path("restarts").asInt() > 0);
        assertThat(crashed.path("instances").values()).hasSize(1);
        // once the runtime gives up on it, the app says so, whatever its last push did
        JsonNode gaveUp = await().atMost(Duration.ofSeconds(60)).until(() -> show("crasher"),
                app -> app.path("status").asString().equals("crashed"));
        assertThat(gaveUp.path("statusmessage").asString()).contains("slipway logs crasher");
    }

    @Test
    @Order(6)
    void afterAStopAndAStartTheAppsAnswerAgainAndTheHistoryIsThere() throws Exception {
        String pushesBefore = slipway("events", "--app", "static-site", "-o", "json").out();
        platform.close();
        platform = null;
        platform = LocalPlatform.start(options);

        Routed.Answer page = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> Routed.get("http://static-site.localhost:" + platform.routerPort()),
                        answer -> answer.status() == 200);
        assertThat(page.body()).contains("version two");
        assertThat(Routed.get("http://procfile-app.localhost:" + platform.routerPort() + "/cgi-bin/hello").body())
                .startsWith("bonjour");
        String pushesAfter = slipway("events", "--app", "static-site", "-o", "json").out();
        assertThat(EventJson.mapper().readTree(pushesAfter)).isEqualTo(EventJson.mapper().readTree(pushesBefore));
    }

    private CliRun slipway(String... args) {
        return CliRun.of(platform.cliConfig().path(), args);
    }

    private JsonNode show(String app) {
        CliRun show = slipway("apps", "show", app, "-o", "json");
        assertThat(show.exitCode()).as(show.err()).isZero();
        return EventJson.mapper().readTree(show.out());
    }

    /** The names of the app's instances, each of which must be running, ready and never restarted. */
    private List<String> runningInstances(String app) {
        List<JsonNode> instances = List.copyOf(show(app).path("instances").values());
        assertThat(instances).allSatisfy(instance -> {
            assertThat(instance.path("state").asString()).as(instance.toString()).isEqualTo("running");
            assertThat(instance.path("ready").asBoolean()).as(instance.toString()).isTrue();
            assertThat(instance.path("restarts").asInt()).as(instance.toString()).isZero();
        });
        return instances.stream().map(instance -> instance.path("name").asString()).toList();
    }

    /** What {@code slipway logs -o json} printed, by instance; every line of it must be a JSON object. */
    private static Map<String, List<String>> linesByInstance(CliRun logs) {
        assertThat(logs.exitCode()).as(logs.err()).isZero();
        Map<String, List<String>> lines = new LinkedHashMap<>();
        logs.out().lines().forEach(text -> {
            JsonNode line = EventJson.mapper().readTree(text);
            assertThat(line.isObject()).as(text).isTrue();
            lines.computeIfAbsent(line.path("instance").asString(), instance -> new ArrayList<>())
                    .add(line.path("line").asString());
        });
        return lines;
    }

    /**
     * Requests to a routed app one after another, from now until {@link #stop()}: each answer recorded
     * as its status and a label of its body, each failure as one.
     */
    private static final class Traffic {
        final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean going = new AtomicBoolean(true);
        private final CompletableFuture<Void> requests;

        Traffic(String url, Function<Routed.Answer, String> label) {
            requests = CompletableFuture.runAsync(() -> {
                while (going.get()) {
                    try {
                        Routed.Answer answer = Routed.get(url);
                        seen.add(answer.status() + " " + label.apply(answer));
                    } catch (IOException | InterruptedException failed) {
                        seen.add("failed: " + failed);
                    }
                }
            });
        }

        static Traffic to(String url) {
            return new Traffic(url, answer -> "");
        }

        List<String> stop() {
            going.set(false);
            requests.join();
            return List.copyOf(seen);
        }
    }

    private static Path zip(Path folder, Path target) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(target));
             Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(folder.relativize(file).toString());
                entry.setUnixMode(Files.isExecutable(file) ? 0100755 : 0100644);
                zip.putArchiveEntry(entry);
                Files.copy(file, zip);
                zip.closeArchiveEntry();
            }
        }
        return target;
    }

    private static boolean podmanInstalled() {
        try {
            return new ProcessBuilder("podman", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException missing) {
            return false;
        }
    }
}
