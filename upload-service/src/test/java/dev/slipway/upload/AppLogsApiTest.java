package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.SlipwayCommand;
import dev.slipway.cli.Terminal;
import dev.slipway.cli.config.ConfigFile;
import dev.slipway.events.Event;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
import dev.slipway.events.StageLogged;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageSucceeded;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.upload.limits.UserSlots;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/** {@code GET .../applications/{app}/logs} and the instances in an app's shape, through the API and the CLI. */
class AppLogsApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final URI STAGING = URI.create("/slipway/staging-service");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    @Autowired
    @Qualifier(UserSlots.LOG_FOLLOWS)
    UserSlots followSlots;

    @Value("${slipway.logs.max-follows-per-user:4}")
    int maxFollowsPerUser;

    private String app;
    private String base;

    @BeforeEach
    void createApp() {
        app = AppsApiTest.uniqueName("logs");
        base = "/api/v1/namespaces/workspace/applications/" + app;
        as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", app));
    }

    @Test
    void refusalsAreJsonErrors() throws Exception {
        assertRefused(sse("alice", "/api/v1/namespaces/workspace/applications/nope/logs"), 404, "does not exist");
        assertRefused(sse("bob", base + "/logs"), 403, "no access to namespace workspace");
        assertRefused(sse(null, base + "/logs"), 401, "");
        for (String since : List.of("yesterday", "-5m", "10m%3Brm", "2026-13-01T00:00:00Z")) {
            assertRefused(sse("alice", base + "/logs?since=" + since), 422, "RFC 3339");
        }
        assertRefused(sse("alice", base + "/logs?staging=true"), 404, "no push yet");
        assertRefused(sse("alice", "/api/v1/namespaces/kube-system/applications/x/logs"), 422, "reserved");
    }

    @Test
    void anAppsShapeListsItsInstancesAndAnAppWithoutAnyLogsEndsAtOnce() throws Exception {
        JsonNode shown = as("alice").get(base).body();
        assertThat(shown.path("instances").isArray()).as(shown.toString()).isTrue();
        assertThat(shown.path("instances").isEmpty()).isTrue();
        assertThat(shown.path("meta").path("name").asString()).isEqualTo(app);
        HttpResponse<String> logs = sse("alice", base + "/logs?since=10m");
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.body()).doesNotContain("event:log");
    }

    @Test
    void theBuildLogOfTheLastPushIsCleanedAndFollowedUntilStagingEnds() throws Exception {
        String pushId = stage();
        @SuppressWarnings("unchecked")
        Event<StageRequested> requested = (Event<StageRequested>) (Event<?>) log.awaitEvent(pushId,
                EventType.STAGE_REQUESTED, TIMEOUT);
        Event<StageLogged> first = log.publish(requested.next(STAGING, new StageLogged(requested.data().blobUid(),
                requested.data().app(), StageStep.BUILD, List.of("\u001b[32mStep 1/2\u001b[0m", "x".repeat(5000)))));
        CompletableFuture<HttpResponse<String>> followed = CompletableFuture.supplyAsync(() ->
                sseUnchecked("alice", base + "/logs?staging=true&follow=true"));
        org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                data(sse("alice", base + "/logs?staging=true"))).hasSize(2));
        Event<StageLogged> second = log.publish(first.next(STAGING, new StageLogged(requested.data().blobUid(),
                requested.data().app(), StageStep.BUILD, List.of("Step 2/2"))));
        log.publish(second.next(STAGING, new StageSucceeded(requested.data().blobUid(), requested.data().app(),
                pushId, "127.0.0.1:5000/workspace-" + app + ":" + pushId, "sha256:" + "cd".repeat(32), "static",
                Map.of(), requested.data().settings())));

        List<JsonNode> lines = data(followed.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertThat(lines).extracting(line -> line.path("line").asString()).containsExactly("Step 1/2",
                "x".repeat(4096) + " [line cut]", "Step 2/2");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("instance").asString()).isEqualTo("build");
            assertThat(line.path("stream").asString()).isEqualTo("build");
            assertThat(line.path("time").asString()).isNotEmpty();
        });

        // the CLI: "<instance> <line>", or one JSON object a line
        Path config = home.resolve("alice.json");
        assertThat(cli(config, "login", "http://127.0.0.1:" + port, "--user", "alice", "--password", PASSWORD)[0])
                .isEqualTo("0");
        String[] text = cli(config, "logs", app, "--staging");
        assertThat(text[0]).as(text[2]).isEqualTo("0");
        assertThat(text[1].lines().toList()).first().isEqualTo("build Step 1/2");
        assertThat(text[1].lines().toList()).last().isEqualTo("build Step 2/2");
        String[] json = cli(config, "logs", app, "--staging", "-o", "json", "--since", "1h");
        assertThat(json[1].lines().map(EventJson.mapper()::readTree).map(line -> line.path("line").asString()))
                .hasSize(3).startsWith("Step 1/2");
        String[] refused = cli(config, "logs", app, "--since", "yesterday");
        assertThat(refused[0]).as("a refusal of the server").isEqualTo("1");
        assertThat(refused[2]).contains("RFC 3339");
    }

    @Test
    void oneFollowBeyondAUsersCapIs429WithRetryAfterWhileAnotherUserStillFollows() throws Exception {
        String pushId = stage();
        String follow = base + "/logs?staging=true&follow=true";
        List<HttpResponse<InputStream>> held = new ArrayList<>();
        try {
            // each follow of the build log holds its slot until staging ends, which nothing here makes happen
            for (int i = 0; i < maxFollowsPerUser; i++) {
                held.add(opened("alice", follow));
                assertThat(held.get(i).statusCode()).isEqualTo(200);
            }
            assertThat(followSlots.openBy("alice")).isEqualTo(maxFollowsPerUser);
            HttpResponse<String> refused = sse("alice", follow);
            assertRefused(refused, 429, "slipway.logs.max-follows-per-user");
            assertThat(EventJson.mapper().readTree(refused.body()).path("errors").path(0).path("title").asString())
                    .isEqualTo("too many follows");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("application/json"));
            // a read without follow holds no slot, and another user's follows are counted apart
            assertThat(sse("alice", base + "/logs?staging=true").statusCode()).isEqualTo(200);
            held.add(opened("carol", follow));
            assertThat(held.get(held.size() - 1).statusCode()).isEqualTo(200);
        } finally {
            @SuppressWarnings("unchecked")
            Event<StageRequested> requested = (Event<StageRequested>) (Event<?>) log.awaitEvent(pushId,
                    EventType.STAGE_REQUESTED, TIMEOUT);
            log.publish(requested.next(STAGING, new StageSucceeded(requested.data().blobUid(),
                    requested.data().app(), pushId, "127.0.0.1:5000/workspace-" + app + ":" + pushId,
                    "sha256:" + "ef".repeat(32), "static", Map.of(), requested.data().settings())));
            for (HttpResponse<InputStream> response : held) {
                response.body().close();
            }
        }
        // staging ended: every follow ended with it and gave its slot back
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> followSlots.openBy("alice") == 0
                && followSlots.openBy("carol") == 0);
    }

    private String[] cli(Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCommand.run(new CliContext(new ConfigFile(config), new PrintWriter(out, true),
                new PrintWriter(err, true), Map.of(), Terminal.none()), args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    private String stage() {
        String blobUid = as("alice").upload(base + "/store", "file", () -> new ByteArrayInputStream(
                Archives.tarGz(Map.of("index.html", "hi")))).body().path("blobuid").asString();
        return as("alice").post(base + "/stage", Map.of("blobuid", blobUid)).body().path("stage").path("id")
                .asString();
    }

    private static List<JsonNode> data(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().lines().filter(line -> line.startsWith("data:"))
                .map(line -> EventJson.mapper().readTree(line.substring(5))).toList();
    }

    private HttpResponse<String> sseUnchecked(String user, String path) {
        try {
            return sse(user, path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> sse(String user, String path) throws Exception {
        return HTTP.send(request(user, path), HttpResponse.BodyHandlers.ofString());
    }

    /** The response as soon as its headers are in, its body still streaming. */
    private HttpResponse<InputStream> opened(String user, String path) throws Exception {
        return HTTP.send(request(user, path), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest request(String user, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream").timeout(TIMEOUT);
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return request.GET().build();
    }

    private static void assertRefused(HttpResponse<String> response, int status, String details) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = EventJson.mapper().readTree(response.body()).path("errors").path(0);
        assertThat(error.path("status").asInt()).isEqualTo(status);
        assertThat(error.path("details").asString()).contains(details);
    }
}
