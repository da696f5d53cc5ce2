package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.Topics;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.s3.S3Server;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Blobs are counted in the blob ledger, not in the event log: quota usage outlives the log's records,
 * falls when blobs go, each app keeps its newest blobs, and a deleted app keeps none.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlobLifecycleTest {

    private static final String PASSWORD = "pw-for-blobs";
    private static final String ENCODED = new BCryptPasswordEncoder(4).encode(PASSWORD);
    private final S3Server s3 = S3Server.inMemory();
    private final MinioClient objects = MinioClient.builder().endpoint(s3.endpoint()).region("us-east-1")
            .credentials(s3.accessKey(), s3.secretKey()).build();
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stopServices() {
        running.forEach(ConfigurableApplicationContext::close);
        running.clear();
    }

    @AfterAll
    void stopStore() throws Exception {
        s3.close();
    }

    @Test
    void quotaUsageOutlivesTheEventLogAndFallsWhenTheAppIsDeleted() throws Exception {
        ApiClient api = client(start("--slipway.store.namespace-quotas.metered=48KB"));
        api.post("/api/v1/namespaces/metered/applications", Map.of("name", "filler"));
        String store = "/api/v1/namespaces/metered/applications/filler/store";
        assertThat(api.upload(store, "file", () -> gzipLooking(30 * 1024)).status()).isEqualTo(200);
        assertThat(api.upload(store, "file", () -> gzipLooking(30 * 1024)).status()).isEqualTo(507);

        deleteEveryEvent();
        stopServices();
        ApiClient restarted = client(start("--slipway.store.namespace-quotas.metered=48KB"));

        ApiClient.Reply refused = restarted.upload(store, "file", () -> gzipLooking(30 * 1024));
        assertThat(refused.status()).isEqualTo(507);
        assertThat(refused.error()).contains("namespace metered has used its");
        assertThat(restarted.delete("/api/v1/namespaces/metered/applications/filler").status()).isEqualTo(200);
        assertThat(objectsUnder("metered/filler/")).isEmpty();
        restarted.post("/api/v1/namespaces/metered/applications", Map.of("name", "filler"));
        assertThat(restarted.upload(store, "file", () -> gzipLooking(30 * 1024)).status()).isEqualTo(200);
    }

    @Test
    void anAppKeepsItsNewestBlobsAndItsLastStagedOne() {
        ApiClient api = client(start("--slipway.store.keep-blobs=2", "--slipway.store.keep-blobs-younger-than=0s"));
        api.post("/api/v1/namespaces/workspace/applications", Map.of("name", "pruned"));
        String app = "/api/v1/namespaces/workspace/applications/pruned";
        String staged = upload(api, app);
        assertThat(api.post(app + "/stage", Map.of("blobuid", staged)).status()).isEqualTo(200);
        List<String> later = IntStream.range(0, 3).mapToObj(i -> upload(api, app)).toList();

        assertThat(objectsUnder("workspace/pruned/")).containsExactlyInAnyOrder("workspace/pruned/" + staged,
                "workspace/pruned/" + later.get(1), "workspace/pruned/" + later.get(2));
        ApiClient.Reply gone = api.post(app + "/stage", Map.of("blobuid", later.get(0)));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.error()).contains("no blob " + later.get(0));
    }

    @Test
    void blobsUploadedMomentsAgoAreNeverPruned() {
        ApiClient api = client(start("--slipway.store.keep-blobs=1", "--slipway.store.keep-blobs-younger-than=1h"));
        api.post("/api/v1/namespaces/workspace/applications", Map.of("name", "young"));
        List<String> blobs = IntStream.range(0, 3)
                .mapToObj(i -> upload(api, "/api/v1/namespaces/workspace/applications/young")).toList();

        assertThat(objectsUnder("workspace/young/")).hasSize(3)
                .allMatch(key -> blobs.contains(key.substring("workspace/young/".length())));
    }

    private String upload(ApiClient api, String app) {
        ApiClient.Reply reply = api.upload(app + "/store", "file", () -> gzipLooking(1024));
        assertThat(reply.status()).isEqualTo(200);
        return reply.body().path("blobuid").asString();
    }

    private void deleteEveryEvent() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafkaCondition.getBroker().getBrokersAsString()))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get()
                    .get(Topics.EVENTS).partitions().stream()
                    .map(info -> new TopicPartition(Topics.EVENTS, info.partition())).toList();
            Map<TopicPartition, Long> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue().offset()));
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isPositive();
            admin.deleteRecords(ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    end -> RecordsToDelete.beforeOffset(end.getValue())))).all().get();
            Map<TopicPartition, Long> starts = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()))).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, start -> start.getValue().offset()));
            assertThat(starts).isEqualTo(ends);
        }
    }

    private List<String> objectsUnder(String prefix) {
        return StreamSupport.stream(objects.listObjects(ListObjectsArgs.builder().bucket("slipway-blobs")
                        .prefix(prefix).recursive(true).build()).spliterator(), false)
                .map(result -> {
                    try {
                        return result.get().objectName();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    private static InputStream gzipLooking(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        bytes[0] = 0x1f;
        bytes[1] = (byte) 0x8b;
        return new ByteArrayInputStream(bytes);
    }

    private ConfigurableApplicationContext start(String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + EmbeddedKafkaCondition.getBroker().getBrokersAsString(),
                "--slipway.s3.endpoint=" + s3.endpoint(),
                "--slipway.s3.access-key=" + s3.accessKey(),
                "--slipway.s3.secret-key=" + s3.secretKey(),
                "--slipway.auth.token-key=" + "t".repeat(40),
                "--slipway.secrets.key=" + "s".repeat(40),
                "--slipway.auth.users[0].username=admin",
                "--slipway.auth.users[0].password-hash=" + ENCODED,
                "--slipway.auth.users[0].roles[0]=admin",
                "--slipway.upload.streams.state-dir=" + UploadServiceTest.stateDir()));
        args.addAll(List.of(settings));
        ConfigurableApplicationContext context = UploadServiceApplication.application().run(args.toArray(String[]::new));
        running.add(context);
        await().atMost(Duration.ofSeconds(90)).until(() -> ApiClient.anonymous(port(context))
                .get("/actuator/health").body().path("status").asString().equals("UP"));
        return context;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        return ApiClient.anonymous(port(context)).basic("admin", PASSWORD);
    }
}
