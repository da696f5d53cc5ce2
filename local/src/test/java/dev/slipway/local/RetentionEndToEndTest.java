package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.cli.CliRun;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.http.Routed;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * State outlives the event log: local mode with an events retention of seconds, apps pushed through
 * the real pipeline, every event of theirs expired (the log's start moved past them), the platform
 * restarted on the same data folder. Each test then checks one kind of state the restarted platform
 * must still have, so each kind that must survive (apps, routes, releases, and next to them quota
 * usage and push status) gets its own test on the same restarted platform.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionEndToEndTest {

    private static final Duration RETENTION = Duration.ofSeconds(10);
    private static final String KEPT = "kept";
    private static final String DELETED = "deleted";

    @TempDir
    static Path work;

    private LocalPlatform platform;
    private LocalOptions options;

    @BeforeAll
    void pushLetTheEventsExpireAndRestart() throws Exception {
        assumeTrue(podmanInstalled(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        platform = LocalPlatform.start(LocalOptions.freePorts(work.resolve("data")).withEventsRetention(RETENTION));
        options = platform.options();

        assertThat(push(KEPT, "version one").exitCode()).isZero();
        assertThat(push(KEPT, "version two").exitCode()).isZero();
        assertThat(push(DELETED, "soon gone").exitCode()).isZero();
        CliRun deleted = slipway("apps", "delete", DELETED, "--yes");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> Routed.get(url(DELETED)).status() == 404);

        long started = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + options.kafkaPort()))) {
            Map<TopicPartition, Long> ends = offsets(admin, OffsetSpec.latest());
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).as("events of the pushes").isPositive();
            await().atMost(RETENTION.multipliedBy(6)).until(() -> {
                Map<TopicPartition, Long> starts = offsets(admin, OffsetSpec.earliest());
                return ends.entrySet().stream().allMatch(end -> starts.get(end.getKey()) >= end.getValue());
            });
        }
        Duration expiry = Duration.ofNanos(System.nanoTime() - started);

        started = System.nanoTime();
        platform.close();
        platform = LocalPlatform.start(options);
        Duration restart = Duration.ofNanos(System.nanoTime() - started);
        // on standard output: the platform's services turn the log down to warnings in this JVM
        System.out.printf("retention %s: every event of the pushes expired %d ms after the last push; the restart "
                + "took %d ms%n", RETENTION, expiry.toMillis(), restart.toMillis());
    }

    @AfterAll
    void stop() throws Exception {
        if (platform != null) {
            slipway("apps", "delete", KEPT, "--yes");
            platform.close();
        }
        if (options != null) {
            PodmanLeftovers.remove(PodmanLeftovers.installationOf(options.dataDir()));
        }
    }

    @Test
    void theAppsAreIntact() {
        ApiClient.Reply app = api().get("/api/v1/namespaces/workspace/applications/" + KEPT);

        assertThat(app.status()).isEqualTo(200);
        assertThat(app.body().path("meta").path("name").asString()).isEqualTo(KEPT);
        assertThat(api().get("/api/v1/namespaces/workspace/applications/" + DELETED).status()).isEqualTo(404);
    }

    @Test
    void theRoutesStillAnswerAndADeletedAppsDoNotComeBack() throws Exception {
        Routed.Answer answer = await().atMost(Duration.ofSeconds(60)).until(() -> Routed.get(url(KEPT)),
                routed -> routed.status() == 200);

        assertThat(answer.body()).contains("version two");
        assertThat(Routed.get(url(DELETED)).status()).isEqualTo(404);
    }

    @Test
    void theCurrentReleaseAndItsRevisionsAreShown() {
        JsonNode app = api().get("/api/v1/namespaces/workspace/applications/" + KEPT).body();

        assertThat(app.path("release").path("revision").asInt()).isEqualTo(2);
        assertThat(app.path("release").path("image").asString()).contains("workspace-" + KEPT);
        assertThat(app.path("release").path("stage_id").asString()).isNotEmpty();
        assertThat(app.path("revisions").values()).singleElement().satisfies(earlier -> {
            assertThat(earlier.path("revision").asInt()).isEqualTo(1);
            assertThat(earlier.path("stage_id").asString()).isNotEqualTo(app.path("release").path("stage_id").asString());
        });
    }

    @Test
    void theRestartedServicesReportTheirStateTopicsRead() {
        JsonNode health = api().get("/actuator/health").body();

        assertThat(health.path("components").path("releases").path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("eventLog").path("details").path("retention").asString())
                .startsWith(RETENTION.toMillis() + " ms");
    }

    private CliRun push(String app, String page) throws IOException {
        Path folder = Files.createDirectories(work.resolve(app + "-" + Math.abs(page.hashCode())));
        Files.writeString(folder.resolve("index.html"), "<h1>" + page + "</h1>");
        CliRun push = slipway("push", folder.toString(), "--name", app);
        assertThat(push.exitCode()).as(push.err()).isZero();
        return push;
    }

    private String url(String app) {
        return "http://" + app + ".localhost:" + platform.routerPort();
    }

    private ApiClient api() {
        try {
            LocalSecrets secrets = LocalSecrets.loadOrCreate(options.dataDir().resolve("secrets.properties"));
            return ApiClient.anonymous(URI.create(platform.apiUrl()).getPort()).basic(LocalSecrets.USER,
                    secrets.password());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private CliRun slipway(String... args) {
        return CliRun.of(platform.cliConfig().path(), args);
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, OffsetSpec spec) throws Exception {
        int partitions = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS)
                .partitions().size();
        Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            asked.put(new TopicPartition(Topics.EVENTS, partition), spec);
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result
                : admin.listOffsets(asked).all().get().entrySet()) {
            offsets.put(result.getKey(), result.getValue().offset());
        }
        return offsets;
    }

    private static boolean podmanInstalled() {
        try {
            return new ProcessBuilder("podman", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException missing) {
            return false;
        }
    }
}
