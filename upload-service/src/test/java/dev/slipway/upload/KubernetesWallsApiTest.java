package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.BuilderImages;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.ReservedNamespaces;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.http.ApiClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API's side of the walls around the Kubernetes path: builder images only from the operator's
 * allow-list (here {@code paketobuildpacks/builder-jammy-*} and {@code example/*}), and no app in a
 * reserved namespace. Staging and deploy-service refuse the same again behind it.
 */
class KubernetesWallsApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String EVIL = "attacker.example.com/steal-push-credentials:1";

    private String app;
    private String base;

    @BeforeEach
    void createApp() {
        app = AppsApiTest.uniqueName("walls");
        base = "/api/v1/namespaces/workspace/applications/" + app;
        as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", app));
    }

    @Test
    void aPushNamingABuilderOffTheAllowListIs422AndStartsNothing() {
        String blobUid = store();

        for (String path : List.of("/stage", "/deployments")) {
            ApiClient.Reply refused = as("alice").post(base + path, Map.of("blobuid", blobUid, "builderimage", EVIL));
            assertThat(refused.status()).as(path).isEqualTo(422);
            assertThat(refused.body().path("errors").path(0).path("title").asString())
                    .isEqualTo("builder image not allowed");
            assertThat(refused.error()).contains(EVIL, BuilderImages.SETTING, "example/*");
        }
        for (String hostile : List.of("example/builder:1 --privileged", "example/../../evil:1", "example/a/b:1")) {
            assertThat(as("alice").post(base + "/stage", Map.of("blobuid", blobUid, "builderimage", hostile))
                    .status()).as(hostile).isEqualTo(422);
        }
        assertThat(as("alice").get(base).body().path("stage_id").asString("")).isEmpty();

        // nothing was started or remembered: an allowed builder stages at once
        ApiClient.Reply allowed = as("alice").post(base + "/stage", Map.of("blobuid", blobUid,
                "builderimage", "paketobuildpacks/builder-jammy-base:0.4"));
        assertThat(allowed.status()).isEqualTo(200);
        String pushId = allowed.body().path("stage").path("id").asString();
        assertThat(((StageRequested) log.awaitEvent(pushId, EventType.STAGE_REQUESTED, TIMEOUT).data())
                .builderImage()).isEqualTo("paketobuildpacks/builder-jammy-base:0.4");
    }

    @Test
    void aReplayOverridingTheBuilderWithOneOffTheListIs422AndReplaysNothing() {
        String blobUid = store();
        String pushId = as("alice").post(base + "/stage", Map.of("blobuid", blobUid)).body().path("stage")
                .path("id").asString();
        Event<EventData> requested = log.awaitEvent(pushId, EventType.STAGE_REQUESTED, TIMEOUT);
        log.publish(requested.next(URI.create("/slipway/staging-service"), new StageFailed(blobUid,
                requested.data().app(), StageStep.BUILD, new Failure(ReasonCodes.BUILD_FAILED, "no", false),
                (StageRequested) requested.data())));
        await().atMost(TIMEOUT).until(() -> as("alice").get("/api/v1/pushes/" + pushId).body().path("state")
                .asString().equals("failed"));

        ApiClient.Reply refused = as("alice").post("/api/v1/pushes/" + pushId + "/replay",
                Map.of("builderImage", EVIL));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.error()).contains(EVIL, BuilderImages.SETTING);
        assertThat(as("alice").get("/api/v1/pushes/" + pushId).body().path("state").asString()).isEqualTo("failed");
        assertThat(log.eventsOf(pushId)).filteredOn(event -> event.is(EventType.STAGE_REQUESTED)).hasSize(1);
        // the same replay with an allowed builder goes through
        assertThat(as("alice").post("/api/v1/pushes/" + pushId + "/replay",
                Map.of("builderImage", "example/builder:2")).status()).isEqualTo(202);
    }

    @Test
    void appsAreRefusedInReservedNamespacesEvenForAnAdmin() {
        for (String namespace : List.of("kube-system", "default", "kube-anything", "slipway", "platform-extra")) {
            ApiClient.Reply refused = as("admin").post("/api/v1/namespaces/" + namespace + "/applications",
                    Map.of("name", "postgres"));
            assertThat(refused.status()).as(namespace).isEqualTo(422);
            assertThat(refused.body().path("errors").path(0).path("title").asString()).isEqualTo("namespace reserved");
            assertThat(refused.error()).contains(namespace, ReservedNamespaces.SETTING);
            assertThat(as("admin").post("/api/v1/namespaces/" + namespace + "/applications/postgres/deployments",
                    Map.of("image", "nginx:1.27")).status()).as(namespace).isEqualTo(422);
        }
        assertThat(as("admin").post("/api/v1/namespaces/team-a/applications", Map.of("name", "postgres")).status())
                .isEqualTo(201);
    }

    private String store() {
        byte[] archive = Archives.tarGz(Map.of("index.html", "hello"));
        return as("alice").upload(base + "/store", "file", () -> new ByteArrayInputStream(archive))
                .body().path("blobuid").asString();
    }
}
