package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.BuildSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kafka.EventLog;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A push's build settings (build env, no cache, Dockerfile) through the stage endpoint: sealed on the
 * event log, hidden wherever a person or another system sees the push, kept by a replay, and hostile
 * settings refused before anything is queued.
 */
class BuildSettingsApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final URI STAGING = URI.create("/slipway/staging-service");
    private static final SecretBox SECRETS = new SecretBox("test-secrets-key-0123456789abcdefghijklmnop");
    private static final String TOKEN = "npm-token-d41d8cd98f00b204e9800998ecf8427e";

    private String app;
    private String base;
    private String blobUid;

    @BeforeEach
    void createAppWithSource() {
        app = AppsApiTest.uniqueName("build");
        base = "/api/v1/namespaces/workspace/applications/" + app;
        as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", app));
        blobUid = as("alice").upload(base + "/store", "file", () -> new ByteArrayInputStream(
                Archives.tarGz(Map.of("index.html", "hi")))).body().path("blobuid").asString();
    }

    private ApiClient.Reply stage(Map<String, Object> build) {
        Map<String, Object> body = new LinkedHashMap<>(build);
        body.put("blobuid", blobUid);
        return as("alice").post(base + "/stage", body);
    }

    private String pushId(ApiClient.Reply reply) {
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        return reply.body().path("stage").path("id").asString();
    }

    @Test
    void buildSettingsReachTheStageRequestWithEachValueSealedAndNotInTheClearOnTheLog() {
        String pushId = pushId(stage(Map.of("build_env", Map.of("NPM_TOKEN", TOKEN, "NODE_ENV", "production"),
                "no_cache", true, "dockerfile", "docker/Dockerfile.web")));

        ConsumerRecordBytes queued = new ConsumerRecordBytes(log.awaitRecord(pushId, EventType.PUSH_QUEUED, TIMEOUT)
                .value());
        Event<EventData> requested = log.awaitEvent(pushId, EventType.STAGE_REQUESTED, TIMEOUT);
        BuildSettings build = ((StageRequested) requested.data()).buildOrNone();

        assertThat(build.noCache()).isTrue();
        assertThat(build.dockerfile()).isEqualTo("docker/Dockerfile.web");
        assertThat(build.sealedEnv()).containsOnlyKeys("NPM_TOKEN", "NODE_ENV");
        assertThat(SECRETS.open(build.sealedEnv().get("NPM_TOKEN"))).isEqualTo(TOKEN);
        assertThat(SECRETS.open(build.sealedEnv().get("NODE_ENV"))).isEqualTo("production");
        assertThat(new String(log.awaitRecord(pushId, EventType.STAGE_REQUESTED, TIMEOUT).value(),
                StandardCharsets.UTF_8)).doesNotContain(TOKEN);
        assertThat(queued.text()).doesNotContain(TOKEN);
    }

    @Test
    void theValuesAreHiddenInThePushItsEventStreamAndTheAuditButTheNamesShow() {
        String pushId = pushId(stage(Map.of("build_env", Map.of("NPM_TOKEN", TOKEN))));
        Event<EventData> requested = log.awaitEvent(pushId, EventType.STAGE_REQUESTED, TIMEOUT);
        String sealed = ((StageRequested) requested.data()).buildOrNone().sealedEnv().get("NPM_TOKEN");
        // a failure carries the request for replay: its view hides the values too, and ends the stream
        log.publish(requested.next(STAGING, StageFailed.of((StageRequested) requested.data(), StageStep.BUILD,
                new Failure(ReasonCodes.BUILD_FAILED, "the build failed", false))));
        JsonNode push = await().atMost(TIMEOUT).until(() -> as("alice").get("/api/v1/pushes/" + pushId).body(),
                shown -> "failed".equals(shown.path("state").asString()));

        String events = push.path("events").toString();
        String streamed = as("alice").lines("/api/v1/pushes/" + pushId + "/events").collect(Collectors.joining("\n"));
        String audit = await().atMost(TIMEOUT).until(() -> as("alice").get("/api/v1/events?app=" + app
                + "&type=dev.slipway.*").body(), found -> found.size() >= 4).toString();

        for (String shown : List.of(events, streamed, audit)) {
            assertThat(shown).contains("NPM_TOKEN", "v1:hidden").doesNotContain(TOKEN).doesNotContain(sealed);
        }
        assertThat(push.path("events").findValues("sealedEnv")).hasSize(3)
                .allSatisfy(env -> assertThat(env.path("NPM_TOKEN").asString()).isEqualTo("v1:hidden"));
    }

    @Test
    void aReplayedStageKeepsItsBuildSettingsAlsoWithAnotherBuilderImage() {
        String pushId = pushId(stage(Map.of("build_env", Map.of("NPM_TOKEN", TOKEN), "no_cache", true,
                "dockerfile", "Dockerfile.prod")));
        Event<EventData> requested = log.awaitEvent(pushId, EventType.STAGE_REQUESTED, TIMEOUT);
        StageRequested original = (StageRequested) requested.data();
        log.publish(requested.next(STAGING, StageFailed.of(original, StageStep.BUILD,
                new Failure(ReasonCodes.REGISTRY_UNAVAILABLE, "registry down", true))));
        await().atMost(TIMEOUT).until(() -> as("alice").get("/api/v1/pushes/" + pushId).body().path("state")
                .asString().equals("failed"));

        ApiClient.Reply replay = as("alice").post("/api/v1/pushes/" + pushId + "/replay",
                Map.of("builderImage", "example/builder:9"));

        assertThat(replay.status()).as(replay.raw().body()).isEqualTo(202);
        String replayId = replay.body().path("id").asString();
        StageRequested replayed = (StageRequested) log.decode(log.awaitRecord(record -> replayId.equals(
                EventLog.header(record, "ce_id")), TIMEOUT)).data();
        assertThat(replayed.builderImage()).isEqualTo("example/builder:9");
        assertThat(replayed.build()).isEqualTo(original.build());
        assertThat(SECRETS.open(replayed.buildOrNone().sealedEnv().get("NPM_TOKEN"))).isEqualTo(TOKEN);
    }

    @Test
    void aPushAskingNothingOfItsBuildCarriesNoBuildSettings() {
        String pushId = pushId(stage(Map.of()));

        assertThat(((StageRequested) log.awaitEvent(pushId, EventType.STAGE_REQUESTED, TIMEOUT).data()).build())
                .isNull();
    }

    @Test
    void hostileBuildSettingsAreRefusedWith422NamingTheProblemNeverTheValue() {
        Map<String, String> many = new HashMap<>();
        IntStream.range(0, 2000).forEach(i -> many.put("V" + i, "x"));
        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("at most 64 build env vars", Map.of("build_env", many));
        cases.put("at most 32768", Map.of("build_env", Map.of("A", "a".repeat(20_000), "B", "b".repeat(20_000))));
        cases.put("'A=B' is not valid", Map.of("build_env", Map.of("A=B", "x")));
        cases.put("'1X' is not valid", Map.of("build_env", Map.of("1X", "x")));
        cases.put("build env LINES must be one line", Map.of("build_env", Map.of("LINES", "one\nEVIL=two")));
        cases.put("build env NUL must be one line", Map.of("build_env", Map.of("NUL", "a\0b")));
        cases.put("dockerfile '../Dockerfile'", Map.of("dockerfile", "../Dockerfile"));
        cases.put("dockerfile '/etc/passwd'", Map.of("dockerfile", "/etc/passwd"));
        cases.put("dockerfile 'a/./Dockerfile'", Map.of("dockerfile", "a/./Dockerfile"));

        cases.forEach((problem, build) -> {
            @SuppressWarnings("unchecked")
            ApiClient.Reply refused = stage((Map<String, Object>) build);
            assertThat(refused.status()).as(problem + ": " + refused.raw().body()).isEqualTo(422);
            assertThat(refused.error()).as(problem).contains(problem).doesNotContain("EVIL=two");
        });
        assertThat(as("alice").get(base).body().path("stage_id").asString("")).as("nothing was queued").isEmpty();
    }

    @Test
    void aMegabyteValueIsRefusedBeforeItIsRead() {
        ApiClient.Reply refused = stage(Map.of("build_env", Map.of("BIG", "x".repeat(1 << 20))));

        assertThat(refused.status()).isEqualTo(413);
    }

    @Test
    void buildSettingsDoNotApplyToAnImageRunAsIs() {
        ApiClient.Reply refused = as("alice").post(base + "/deployments", Map.of("image", "nginx:1.27",
                "no_cache", true));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.error()).contains("not to an image run as is");
    }

    private record ConsumerRecordBytes(byte[] value) {
        String text() {
            return new String(value, StandardCharsets.UTF_8);
        }
    }
}
