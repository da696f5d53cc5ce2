package dev.slipway.upload;

import dev.slipway.testsupport.http.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageSucceeded;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.metrics.Scrape;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The push endpoints, with the test playing the downstream services on the real event log. */
class PushApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final URI STAGING = URI.create("/slipway/staging-service");

    private String app;
    private String base;

    @BeforeEach
    void createApp() {
        app = AppsApiTest.uniqueName("push");
        base = "/api/v1/namespaces/workspace/applications/" + app;
        as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", app,
                "configuration", Map.of("instances", 2, "environment", Map.of("MODE", "test"))));
    }

    private String store() {
        byte[] archive = Archives.tarGz(Map.of("index.html", "hello"));
        return as("alice").upload(base + "/store", "file", () -> new ByteArrayInputStream(archive))
                .body().path("blobuid").asString();
    }

    private ApiClient.Reply stage(Map<String, Object> body) {
        return as("alice").post(base + "/stage", body);
    }

    @Test
    void stagingAnswersThePushIdAtOnceAndTheStageRequestCarriesIt() {
        String blobUid = store();

        ApiClient.Reply reply = stage(Map.of("app", Map.of("name", app, "namespace", "workspace"),
                "blobuid", blobUid, "builderimage", "example/builder:2"));

        assertThat(reply.status()).isEqualTo(200);
        String stageId = reply.body().path("stage").path("id").asString();
        assertThat(reply.body().path("image").asString()).endsWith("/workspace-" + app + ":" + stageId);
        Event<EventData> requested = log.awaitEvent(stageId, EventType.STAGE_REQUESTED, TIMEOUT);
        assertThat(requested.id()).isEqualTo(stageId);
        assertThat(requested.key()).isEqualTo(blobUid);
        StageRequested data = (StageRequested) requested.data();
        assertThat(data.builderImage()).isEqualTo("example/builder:2");
        assertThat(data.settings().instances()).isEqualTo(2);
        assertThat(data.settings().configurationRef()).isEqualTo("workspace/" + app + "@1");
    }

    @Test
    void stagesWhileOneRunsAreAcceptedAndTheNewestRunsNextWhileTheOneItReplacedIsSuperseded() {
        String blobUid = store();
        String first = stage(Map.of("blobuid", blobUid)).body().path("stage").path("id").asString();
        Event<EventData> requested = log.awaitEvent(first, EventType.STAGE_REQUESTED, TIMEOUT);

        ApiClient.Reply waits = stage(Map.of());
        ApiClient.Reply newer = stage(Map.of());

        assertThat(waits.status()).isEqualTo(200);
        assertThat(newer.status()).isEqualTo(200);
        String second = waits.body().path("stage").path("id").asString();
        String third = newer.body().path("stage").path("id").asString();
        assertThat(log.awaitEvent(second, EventType.PUSH_SUPERSEDED, TIMEOUT).data())
                .isEqualTo(new dev.slipway.events.PushSuperseded(blobUid, requested.data().app(), third));
        JsonNode superseded = await().atMost(TIMEOUT).until(() -> as("alice").get(base + "/deployments/" + second)
                .body(), shown -> shown.path("status").asString().equals("superseded"));
        assertThat(superseded.path("superseded_by").asString()).isEqualTo(third);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Scrape.of(as("admin")).sum(
                "slipway_push_outcomes_total", Map.of("outcome", "superseded", "reason", ReasonCodes.SUPERSEDED)))
                .isGreaterThanOrEqualTo(1));
        JsonNode complete = as("alice").get("/api/v1/namespaces/workspace/staging/" + second + "/complete").body();
        assertThat(complete.path("status").asString()).isEqualTo("failed");
        assertThat(complete.path("superseded_by").asString()).isEqualTo(third);
        assertThat(as("alice").get("/api/v1/pushes/" + third).body().path("state").asString()).isEqualTo("queued");
        assertThat(as("alice").get(base + "/deployments/" + third).body().path("status").asString())
                .isEqualTo("staging");

        log.publish(requested.next(STAGING, new StageFailed(blobUid, requested.data().app(), StageStep.BUILD,
                new Failure(ReasonCodes.REGISTRY_UNAVAILABLE, "registry down", true),
                (StageRequested) requested.data())));

        assertThat(log.awaitEvent(third, EventType.STAGE_REQUESTED, TIMEOUT).key()).isEqualTo(blobUid);
        assertThat(log.eventsOf(second)).extracting(Event::type).doesNotContain(EventType.STAGE_REQUESTED);
        assertThat(as("alice").get(base).body().path("stage_id").asString()).isEqualTo(third);
        JsonNode failed = as("alice").get("/api/v1/namespaces/workspace/staging/" + first + "/complete").body();
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("message").asString()).startsWith("REGISTRY_UNAVAILABLE");
    }

    @Test
    void stagingCompleteWaitsForTheStageToSucceed() {
        String blobUid = store();
        String stageId = stage(Map.of("blobuid", blobUid)).body().path("stage").path("id").asString();
        CompletableFuture<ApiClient.Reply> waiting = CompletableFuture.supplyAsync(() ->
                as("alice").get("/api/v1/namespaces/workspace/staging/" + stageId + "/complete"));
        assertThat(waiting).isNotDone();

        Event<EventData> requested = log.awaitEvent(stageId, EventType.STAGE_REQUESTED, TIMEOUT);
        log.publish(requested.next(STAGING, new StageSucceeded(blobUid, requested.data().app(), stageId,
                "127.0.0.1:5000/workspace-" + app + ":" + stageId, "sha256:" + "ab".repeat(32), "static", Map.of(),
                AppSettings.defaults())));

        JsonNode complete = waiting.join().body();
        assertThat(complete.path("status").asString()).as(complete.toString()).isEqualTo("succeeded");
        assertThat(complete.path("completed").asBoolean()).isTrue();
        assertThat(as("alice").get(base).body().path("image_url").asString()).endsWith(":" + stageId);
    }

    @Test
    void stagingAnUnknownBlobIs404AndAppWithoutSourceIs400() {
        assertThat(stage(Map.of()).status()).isEqualTo(400);
        assertThat(stage(Map.of("blobuid", "6f1c2a4e-8b1d-4c9a-9f3e-2d7b5a1c0e42")).status()).isEqualTo(404);
        assertThat(stage(Map.of("blobuid", "../../etc/passwd")).status()).isEqualTo(400);
    }

    @Test
    void anImageDeploymentIsTrackedUntilTheAppIsOnline() {
        ApiClient.Reply created = as("alice").post(base + "/deployments", Map.of("image", "nginx:1.27"));

        assertThat(created.status()).isEqualTo(202);
        String id = created.body().path("id").asString();
        assertThat(created.header("Location")).contains(base + "/deployments/" + id);
        assertThat(as("alice").get(base + "/deployments/" + id).body().path("status").asString()).as(as("alice").get(base + "/deployments/" + id).body().toString())
                .isEqualTo("deploying");

        Event<EventData> requested = log.awaitEvent(id, EventType.DEPLOY_REQUESTED, TIMEOUT);
        DeployRequested request = (DeployRequested) requested.data();
        assertThat(request.image()).isEqualTo("nginx:1.27");
        assertThat(request.action()).isEqualTo(DeployAction.DEPLOY);
        Event<AppDeployed> deployed = requested.next(URI.create("/slipway/deploy-service"), new AppDeployed(
                request.blobUid(), request.app(), null, "nginx:1.27", 1, 2, 2, request.settings()));
        log.publish(deployed);
        log.publish(deployed.next(URI.create("/slipway/routing-service"), new RoutesReady(request.blobUid(),
                request.app(), List.of("http://" + app + ".apps.test/"))));

        JsonNode deployment = org.awaitility.Awaitility.await().atMost(TIMEOUT)
                .until(() -> as("alice").get(base + "/deployments/" + id).body(),
                        body -> body.path("status").asString().equals("succeeded"));
        assertThat(deployment.path("routes").values()).extracting(JsonNode::asString)
                .containsExactly("http://" + app + ".apps.test/");
        assertThat(deployment.path("image").asString()).isEqualTo("nginx:1.27");
    }

    @Test
    void deployOfAStagedImageEmitsADeployRequestAndAnswersTheRoutes() {
        String blobUid = store();
        String stageId = stage(Map.of("blobuid", blobUid)).body().path("stage").path("id").asString();
        Event<EventData> requested = log.awaitEvent(stageId, EventType.STAGE_REQUESTED, TIMEOUT);
        String image = "127.0.0.1:5000/workspace-" + app + ":" + stageId;
        log.publish(requested.next(STAGING, new StageSucceeded(blobUid, new AppRef("workspace", app), stageId, image,
                "sha256:" + "cd".repeat(32), "static", Map.of(), AppSettings.defaults())));
        as("alice").get("/api/v1/namespaces/workspace/staging/" + stageId + "/complete");

        ApiClient.Reply deploy = as("alice").post(base + "/deploy", Map.of("stage", Map.of("id", stageId)));

        assertThat(deploy.status()).isEqualTo(200);
        assertThat(deploy.body().path("routes").values()).extracting(JsonNode::asString)
                .containsExactly(app + ".apps.test");
        Event<EventData> deployEvent = log.decode(log.awaitRecord(record -> blobUid.equals(record.key())
                && EventType.DEPLOY_REQUESTED.type().equals(dev.slipway.testsupport.kafka.EventLog.header(record,
                "ce_type")), TIMEOUT));
        assertThat(((DeployRequested) deployEvent.data()).image()).isEqualTo(image);
        assertThat(((DeployRequested) deployEvent.data()).stageId()).isEqualTo(stageId);
    }

    @Test
    void rollbackAsksDeployServiceForAnEarlierRevisionAsANewPush() {
        ApiClient.Reply reply = as("alice").post(base + "/rollback", Map.of("revision", 2));

        assertThat(reply.status()).isEqualTo(202);
        String pushId = reply.body().path("id").asString();
        DeployRequested request = (DeployRequested) log.awaitEvent(pushId, EventType.DEPLOY_REQUESTED, TIMEOUT).data();
        assertThat(request.action()).isEqualTo(DeployAction.ROLLBACK);
        assertThat(request.revision()).isEqualTo(2);
        assertThat(as("alice").get("/api/v1/pushes/" + pushId).body().path("state").asString()).isEqualTo("deploying");
        assertThat(as("alice").post(base + "/rollback", Map.of("revision", 0)).status()).isEqualTo(422);
        assertThat(as("bob").post(base + "/rollback", Map.of()).status()).isEqualTo(403);
    }
}
