package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.cli.CliRun;
import dev.slipway.testsupport.archives.Archives;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web console in a real browser (Debian's headless Chromium, driven by Playwright from
 * {@code src/test/console}) against local mode: log in, the apps with their URLs, a push drawn live
 * while the page is open, a failed push's reason, next step and build log (with a hostile line that
 * must stay text), replay, rollback, webhook deliveries, logout. Screenshots of each view are kept
 * in {@code target/console-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleEndToEndTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path SCRIPTS = MODULE.resolve("src/test/console");
    private static final Path SCREENSHOTS = MODULE.resolve("target/console-screenshots");
    private static final String CHROMIUM = System.getenv().getOrDefault("SLIPWAY_CHROMIUM", "/usr/bin/chromium");
    private static final String WEBHOOK_RANGES = "slipway.webhooks.allowed-ranges";
    /** Printed by the failing build; shown by the console, it must stay text and run nothing. */
    private static final String HOSTILE = "<img src=x onerror=\"window.slipwayPwned=1;document.title='pwned'\">";

    @TempDir
    static Path work;

    private LocalPlatform platform;
    private HttpServer receiver;
    private final AtomicInteger delivered = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    void stop() throws Exception {
        System.clearProperty(WEBHOOK_RANGES);
        if (platform != null) {
            for (String app : List.of("console-site", "console-broken")) {
                slipway("apps", "delete", app, "--yes");
            }
            platform.close();
            PodmanLeftovers.remove(PodmanLeftovers.installationOf(platform.options().dataDir()));
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aPersonSeesAppsFollowsPushesLiveReplaysRollsBackAndReadsDeliveriesInTheBrowser() throws Exception {
        start();
        String subscription = api("POST", "/api/v1/subscriptions", """
                {"url":"http://127.0.0.1:%d/hook","namespace":"workspace","types":["dev.slipway.routes.*"]}"""
                .formatted(receiver.getAddress().getPort())).path("id").asString();
        Path site = Files.createDirectories(work.resolve("console-site"));
        Files.writeString(site.resolve("index.html"), "<h1>console v1</h1>");
        CliRun first = slipway("push", site.toString());
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() >= 1);

        Path broken = Files.createDirectories(work.resolve("console-broken"));
        Files.writeString(broken.resolve("Dockerfile"), """
                ARG SLIPWAY_REGISTRY
                FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1
                RUN busybox echo '%s' && busybox false
                """.formatted(HOSTILE));
        CliRun failed = slipway("push", broken.toString());
        assertThat(failed.exitCode()).as(failed.out() + failed.err()).isNotZero();
        assertThat(failed.out() + failed.err()).contains("BUILD_FAILED");
        String failedPush = api("GET", "/api/v1/namespaces/workspace/applications/console-broken", null)
                .path("stage_id").asString();
        Path archive = Files.write(work.resolve("site-v2.tar.gz"),
                Archives.tarGz(Map.of("index.html", "<h1>console v2</h1>")));

        Files.createDirectories(SCREENSHOTS);
        try (var old = Files.list(SCREENSHOTS)) {
            for (Path shot : old.toList()) {
                Files.delete(shot);
            }
        }
        Path output = SCREENSHOTS.resolve("console-e2e.log");
        ProcessBuilder browser = new ProcessBuilder("node", "console-e2e.mjs").directory(SCRIPTS.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        browser.environment().putAll(Map.of("CONSOLE_URL", platform.apiUrl(), "SLIPWAY_USER", LocalSecrets.USER,
                "SLIPWAY_PASSWORD", password(), "CHROMIUM", CHROMIUM, "SCREENSHOTS", SCREENSHOTS.toString(),
                "FAILED_PUSH", failedPush, "HOSTILE", HOSTILE, "SITE_ARCHIVE", archive.toString(),
                "LIVE_APP", "console-site", "SUBSCRIPTION", subscription));
        long started = System.nanoTime();
        Process run = browser.start();
        boolean ended = run.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String said = Files.readString(output);
        System.out.printf("console in the browser, %.1f s:%n%s%n", (System.nanoTime() - started) / 1e9, said);

        assertThat(ended).as("the browser run ended in time: " + said).isTrue();
        assertThat(run.exitValue()).as(said).isZero();
        assertThat(said).contains("ok login", "ok apps", "ok live push", "ok failed push", "ok replay", "ok rollback",
                "ok deliveries", "ok logout", "console e2e: all steps ok");
        try (var shots = Files.list(SCREENSHOTS)) {
            assertThat(shots.map(shot -> shot.getFileName().toString()).filter(name -> name.endsWith(".png")))
                    .contains("01-apps.png", "02-push-live.png", "03-push-failed.png", "04-push-replayed.png",
                            "05-rollback.png", "06-deliveries.png");
        }
    }

    /** In the test rather than before all: a missing tool then shows as a skipped test with its reason. */
    private void start() throws Exception {
        assumeTrue(runs("podman", "--version"), "podman is not installed here (scripts/setup-debian.sh installs it)");
        assumeTrue(runs("node", "--version"), "node is not installed here (scripts/setup-debian.sh installs it)");
        assumeTrue(Files.isExecutable(Path.of(CHROMIUM)),
                CHROMIUM + " is missing: install Debian's chromium (scripts/setup-debian.sh does)");
        assumeTrue(Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core")),
                "playwright-core is not installed: run npm ci in local/src/test/console (scripts/setup-debian.sh does)");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            delivered.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        // webhooks go to global addresses only; this test's receiver is on loopback. The services
        // run in this JVM and read the setting once, at their start.
        System.setProperty(WEBHOOK_RANGES, "127.0.0.1/32");
        platform = LocalPlatform.start(LocalOptions.freePorts(work.resolve("data")));
    }

    private String password() throws IOException {
        return LocalSecrets.loadOrCreate(platform.options().dataDir().resolve("secrets.properties")).password();
    }

    private JsonNode api(String method, String path, String json) throws Exception {
        String basic = Base64.getEncoder().encodeToString((LocalSecrets.USER + ":" + password())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(30));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isBetween(200, 299);
        return JsonMapper.shared().readTree(answer.body());
    }

    private CliRun slipway(String... args) {
        return CliRun.of(platform.cliConfig().path(), args);
    }

    private static boolean runs(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException missing) {
            return false;
        }
    }
}
