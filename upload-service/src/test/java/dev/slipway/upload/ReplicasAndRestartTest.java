package dev.slipway.upload;

import dev.slipway.testsupport.http.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.Topics;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.metrics.Scrape;
import dev.slipway.testsupport.s3.S3Server;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;

/**
 * The API's state lives in Kafka: two replicas answer the same, and a restart with an empty state
 * folder forgets nothing.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasAndRestartTest {

    private static final String PASSWORD = "pw-for-replicas";
    private final S3Server s3 = S3Server.inMemory();
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterAll
    void stop() throws Exception {
        running.forEach(ConfigurableApplicationContext::close);
        s3.close();
    }

    @Test
    void aSecondReplicaAndARestartedOneAnswerTheSameAboutAppsAndPushes() {
        ApiClient first = client(start(null));
        ApiClient second = client(start(null));
        first.post("/api/v1/namespaces/workspace/applications", Map.of("name", "kept",
                "configuration", Map.of("instances", 3, "environment", Map.of("K", "v"))));
        byte[] archive = Archives.tarGz(Map.of("index.html", "kept"));
        String blobUid = first.upload("/api/v1/namespaces/workspace/applications/kept/store", "file",
                () -> new ByteArrayInputStream(archive)).body().path("blobuid").asString();
        String stageId = first.post("/api/v1/namespaces/workspace/applications/kept/stage",
                Map.of("blobuid", blobUid)).body().path("stage").path("id").asString();

        JsonNode onSecond = await().atMost(Duration.ofSeconds(30)).until(
                () -> second.get("/api/v1/namespaces/workspace/applications/kept"),
                reply -> reply.status() == 200 && stageId.equals(reply.body().path("stage_id").asString())).body();
        assertThat(onSecond.path("configuration").path("instances").asInt()).isEqualTo(3);
        assertThat(onSecond.path("status").asString()).isEqualTo("staging");
        JsonNode pushOnFirst = await().atMost(Duration.ofSeconds(30)).until(() -> first.get("/api/v1/pushes/"
                + stageId).body(), push -> push.path("state").asString().equals("staging"));
        await().atMost(Duration.ofSeconds(30)).until(() -> second.get("/api/v1/pushes/" + stageId).body(),
                pushOnFirst::equals);

        // a CLI token revoked on one replica is refused by the other, and (below) after a restart of both
        JsonNode revokedToken = first.post("/api/v1/auth/cli-tokens", null).body();
        String keptToken = first.post("/api/v1/auth/cli-tokens", null).body().path("token").asString();
        assertThat(first.delete("/api/v1/auth/cli-tokens/" + revokedToken.path("id").asString()).status())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> ApiClient.anonymous(port(running.get(1)))
                .bearer(revokedToken.path("token").asString()).get("/api/v1/applications").status() == 401);

        running.forEach(ConfigurableApplicationContext::close);
        running.clear();
        // as on Kubernetes: the actuator on a port of its own, where the platform scrapes without credentials
        int managementPort = FreePorts.next();
        ApiClient restarted = client(start(managementPort));

        assertThat(ApiClient.anonymous(port(running.get(0))).bearer(revokedToken.path("token").asString())
                .get("/api/v1/applications").status()).as("revocation outlives the restart").isEqualTo(401);
        assertThat(ApiClient.anonymous(port(running.get(0))).bearer(keptToken).get("/api/v1/applications").status())
                .isEqualTo(200);
        JsonNode afterRestart = restarted.get("/api/v1/namespaces/workspace/applications/kept").body();
        assertThat(afterRestart.path("stage_id").asString()).isEqualTo(stageId);
        assertThat(afterRestart.path("configuration").path("environment").path("K").asString()).isEqualTo("v");
        assertThat(restarted.get("/api/v1/pushes/" + stageId).body()).isEqualTo(pushOnFirst);
        assertThat(restarted.get("/api/v1/events?app=kept").body().values()).extracting(event -> event.path("type")
                .asString()).containsExactly("dev.slipway.blob.uploaded.v1", "dev.slipway.push.queued.v1",
                        "dev.slipway.stage.requested.v1");
        // the app's queue outlived the restart: the first push still runs, so a new one waits for it
        String next = restarted.post("/api/v1/namespaces/workspace/applications/kept/stage", Map.of()).body()
                .path("stage").path("id").asString();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30)).until(() -> restarted.get(
                "/api/v1/pushes/" + next).body().path("state").asString(), "queued"::equals);

        Scrape scraped = Scrape.of(ApiClient.anonymous(managementPort));
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.text()).contains("jvm_memory_used_bytes").doesNotContain(stageId);
        // the API's port (the one the Ingress leads to) still asks for an admin
        assertThat(Scrape.of(ApiClient.anonymous(port(running.get(0)))).status()).isEqualTo(401);
        assertThat(Scrape.of(restarted).status()).as("the actuator is no longer on the API's port").isEqualTo(404);
    }

    /** A replica of its own state folder, empty: a restarted one restores its stores from Kafka. */
    private ConfigurableApplicationContext start(Integer managementPort) {
        int port = FreePorts.next();
        ConfigurableApplicationContext context = UploadServiceApplication.application().run(
                "--server.port=" + port,
                // the same port as the API unless given one of its own
                "--management.server.port=" + (managementPort == null ? port : managementPort),
                "--slipway.upload.streams.state-dir=" + UploadServiceTest.stateDir(),
                "--slipway.upload.streams.application-server=127.0.0.1:" + port,
                "--spring.kafka.bootstrap-servers=" + EmbeddedKafkaCondition.getBroker().getBrokersAsString(),
                "--slipway.s3.endpoint=" + s3.endpoint(),
                "--slipway.s3.access-key=" + s3.accessKey(),
                "--slipway.s3.secret-key=" + s3.secretKey(),
                "--slipway.auth.token-key=" + "t".repeat(40),
                "--slipway.secrets.key=" + "s".repeat(40),
                "--slipway.auth.users[0].username=admin",
                "--slipway.auth.users[0].password-hash=" + new BCryptPasswordEncoder(4).encode(PASSWORD),
                "--slipway.auth.users[0].roles[0]=admin");
        running.add(context);
        // as admin: a replica that is not ready says why
        ApiClient actuator = managementPort == null ? client(context)
                : ApiClient.anonymous(managementPort).basic("admin", PASSWORD);
        await().atMost(Duration.ofSeconds(60)).until(() -> actuator.get("/actuator/health/readiness").body(),
                health -> health.path("status").asString().equals("UP"));
        return context;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        return ApiClient.anonymous(port(context)).basic("admin", PASSWORD);
    }
}
