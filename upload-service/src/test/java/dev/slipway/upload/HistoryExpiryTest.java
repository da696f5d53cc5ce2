package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.Topics;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.s3.S3Server;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;

/**
 * Push events and the audit trail last as long as the event log keeps events, push states for good:
 * here the history is kept 15 s (the event log's own retention is the default), and its changelog
 * topics forget by age as well.
 */
@EmbeddedKafka(partitions = 2, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryExpiryTest {

    private static final String PASSWORD = "pw-for-expiry";
    private final S3Server s3 = S3Server.inMemory();
    private ConfigurableApplicationContext context;

    @AfterAll
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        s3.close();
    }

    @Test
    void eventsAndAuditEntriesOlderThanTheRetentionGoWhileThePushStateStays() throws Exception {
        int port = FreePorts.next();
        String brokers = EmbeddedKafkaCondition.getBroker().getBrokersAsString();
        context = UploadServiceApplication.application().run("--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--slipway.upload.streams.state-dir=" + UploadServiceTest.stateDir(),
                "--slipway.upload.projection.history-retention=15s",
                "--slipway.upload.projection.expiry-interval=500ms",
                // what this replica published itself is not held in memory past the stores' expiry
                "--slipway.upload.projection.recent-age=2s",
                "--slipway.s3.endpoint=" + s3.endpoint(), "--slipway.s3.access-key=" + s3.accessKey(),
                "--slipway.s3.secret-key=" + s3.secretKey(), "--slipway.auth.token-key=" + "t".repeat(40),
                "--slipway.secrets.key=" + "s".repeat(40), "--slipway.auth.users[0].username=admin",
                "--slipway.auth.users[0].password-hash=" + new BCryptPasswordEncoder(4).encode(PASSWORD),
                "--slipway.auth.users[0].roles[0]=admin");
        ApiClient admin = ApiClient.anonymous(port).basic("admin", PASSWORD);
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.get("/actuator/health/readiness").body(),
                health -> health.path("status").asString().equals("UP"));
        admin.post("/api/v1/namespaces/workspace/applications", Map.of("name", "fleeting"));
        String blobUid = admin.upload("/api/v1/namespaces/workspace/applications/fleeting/store", "file",
                () -> new ByteArrayInputStream(Archives.tarGz(Map.of("index.html", "x")))).body().path("blobuid")
                .asString();
        String pushId;
        try (EventLog log = new EventLog(brokers)) {
            pushId = log.decode(log.awaitRecord(record -> blobUid.equals(record.key()), Duration.ofSeconds(30)))
                    .correlationId();
        }
        JsonNode fresh = await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/api/v1/pushes/" + pushId)
                .body(), push -> push.path("events").size() == 1);
        assertThat(fresh.path("state").asString()).isEqualTo("uploaded");
        assertThat(admin.get("/api/v1/events?app=fleeting").body().size()).isEqualTo(1);

        JsonNode later = await().atMost(Duration.ofSeconds(60)).until(() -> admin.get("/api/v1/pushes/" + pushId)
                .body(), push -> push.path("events").isEmpty());
        assertThat(later.path("state").asString()).isEqualTo("uploaded");
        assertThat(admin.get("/api/v1/events?app=fleeting").body().size()).isZero();

        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            for (String store : List.of("push-events", "audit")) {
                ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC,
                        "slipway-upload-projections-" + store + "-changelog");
                Config config = kafka.describeConfigs(List.of(changelog)).all().get().get(changelog);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact,delete");
                assertThat(config.get("retention.ms").value()).isEqualTo("15000");
            }
            ConfigResource states = new ConfigResource(ConfigResource.Type.TOPIC,
                    "slipway-upload-projections-push-states-changelog");
            assertThat(kafka.describeConfigs(List.of(states)).all().get().get(states).get("cleanup.policy").value())
                    .isEqualTo("compact");
            ConfigResource pushes = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PUSHES);
            assertThat(kafka.describeConfigs(List.of(pushes)).all().get().get(pushes).get("cleanup.policy").value())
                    .isEqualTo("compact");
        }
    }
}
