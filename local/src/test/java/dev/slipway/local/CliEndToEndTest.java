package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.cli.CliException;
import dev.slipway.cli.CliRun;
import dev.slipway.events.BlobKeys;
import dev.slipway.events.AppRef;
import dev.slipway.events.EventJson;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.s3.S3Server;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The real {@code slipway} entry point against the whole pipeline (real broker, S3, registry, Helm;
 * Kubernetes API mocked): pushes of a folder, an archive and an image followed to their URLs,
 * failures with their exit code and next step, replay, and JSON output read back.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {

    @TempDir
    static Path home;

    private KubernetesPipeline pipeline;
    private Path config;

    @BeforeAll
    void startAndLogIn() throws Exception {
        pipeline = new KubernetesPipeline(EmbeddedKafkaCondition.getBroker().getBrokersAsString());
        config = home.resolve("slipway").resolve("config.json");
        CliRun login = slipway("login", pipeline.apiUrl(), "--user", KubernetesPipeline.USER, "--password",
                KubernetesPipeline.PASSWORD);
        assertThat(login.exitCode()).as(login.err()).isZero();
    }

    @AfterAll
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aFolderIsPushedWithoutItsIgnoredFilesAndFollowedUntilItsUrlAnswers() throws Exception {
        Path site = home.resolve("site");
        write(site, "index.html", "<h1>site</h1>");
        write(site, "notes.log", "not for the server");
        write(site, ".git/config", "[core]");
        write(site, ".slipwayignore", "*.log\n");
        write(site, "slipway.yml", "instances: 2\nroutes: [www.site.test/docs]\n");

        CliRun push = slipway("push", site.toString(), "--env", "MODE=test");

        assertThat(push.exitCode()).as(push.err()).isZero();
        String pushId = push.out().lines().findFirst().orElseThrow();
        assertThat(push.err()).contains("Push " + pushId + " started for app workspace/site", "Uploaded ");
        assertThat(push.out()).contains("staging    started", "staging    built " + pipeline.registry.host()
                        + "/workspace-site:" + pushId, "deploy     release revision 1, 2/2 instances ready",
                "App workspace/site is online at http://site.apps.test http://www.site.test/docs");
        assertThat(ingressHosts("site")).containsExactlyInAnyOrder("site.apps.test", "www.site.test");

        JsonNode status = json(slipway("push", "status", pushId, "-o", "json"));
        assertThat(status.path("state").asString()).isEqualTo("online");
        String blobUid = status.path("events").path(0).path("partitionkey").asString();
        assertThat(archivedNames(new AppRef("workspace", "site"), blobUid)).contains("index.html", "slipway.yml")
                .doesNotContain("notes.log", ".git/config", ".git/");
        JsonNode app = json(slipway("apps", "show", "site", "-o", "json"));
        assertThat(app.path("configuration").path("instances").asInt()).isEqualTo(2);
        assertThat(app.path("configuration").path("environment").path("MODE").asString()).isEqualTo("test");
        assertThat(json(slipway("apps", "list", "-o", "json")).values()).extracting(each -> each.path("meta")
                .path("name").asString()).contains("site");
        assertThat(slipway("apps", "list").out()).contains("NAME", "STATUS", "site");
    }

    @Test
    void dayTwoChangesAreTrackedPushesOfTheRunningImage() throws Exception {
        Path folder = home.resolve("daytwo");
        write(folder, "index.html", "day two");
        CliRun push = slipway("push", folder.toString());
        assertThat(push.exitCode()).as(push.err()).isZero();
        String image = deployment("daytwo").getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        var templateBefore = deployment("daytwo").getSpec().getTemplate();

        CliRun scale = slipway("apps", "scale", "daytwo", "3");
        assertThat(scale.exitCode()).as(scale.err()).isZero();
        assertThat(scale.out()).contains("3/3 instances ready", "online at http://daytwo.apps.test");
        assertThat(deployment("daytwo").getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment("daytwo").getSpec().getTemplate()).as("a scale replaces no running pod")
                .isEqualTo(templateBefore);

        CliRun env = slipway("env", "set", "daytwo", "GREETING=hello from day two", "-o", "json");
        assertThat(env.exitCode()).as(env.err()).isZero();
        assertThat(env.out().lines()).allSatisfy(line -> assertThat(EventJson.mapper().readTree(line).isObject())
                .isTrue());
        String envPush = EventJson.mapper().readTree(env.out().lines().findFirst().orElseThrow()).path("id").asString();
        var container = deployment("daytwo").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).as("no rebuild").isEqualTo(image);
        assertThat(KubernetesMocks.appEnv(pipeline.kube, "workspace", "daytwo"))
                .containsEntry("GREETING", "hello from day two");
        assertThat(container.getEnv()).as("values stay out of the pod template")
                .noneSatisfy(variable -> assertThat(variable.getValue()).contains("hello from day two"));
        assertThat(slipway("env", "list", "daytwo").out()).contains("GREETING").doesNotContain("hello from day two");
        JsonNode tracked = json(slipway("push", "status", envPush, "-o", "json"));
        assertThat(tracked.path("state").asString()).isEqualTo("online");
        assertThat(tracked.path("events").path(0).path("data").path("change").asString()).isEqualTo("env");

        assertThat(slipway("routes", "add", "daytwo", "shop.daytwo.test").exitCode()).isZero();
        assertThat(ingressHosts("daytwo")).containsExactlyInAnyOrder("daytwo.apps.test", "shop.daytwo.test");
        assertThat(slipway("routes", "rm", "daytwo", "shop.daytwo.test").exitCode()).isZero();
        assertThat(ingressHosts("daytwo")).containsExactly("daytwo.apps.test");

        CliRun restart = slipway("apps", "restart", "daytwo");
        assertThat(restart.exitCode()).as(restart.err()).isZero();
        var restarted = deployment("daytwo").getSpec().getTemplate();
        assertThat(restarted.getMetadata().getAnnotations()).containsKey("slipway.dev/restarted-by");
        assertThat(slipway("apps", "scale", "daytwo", "1").exitCode()).isZero();
        assertThat(deployment("daytwo").getSpec().getTemplate()).as("a scale after a restart replaces no pod either")
                .isEqualTo(restarted);
        assertThat(json(slipway("events", "--app", "daytwo", "--type", "dev.slipway.deploy.requested.v1", "-o",
                "json")).values()).extracting(event -> event.path("data").path("change").asString(""))
                .containsExactly("scale", "env", "routes", "routes", "restart", "scale");
    }

    private io.fabric8.kubernetes.api.model.apps.Deployment deployment(String app) {
        return pipeline.kube.apps().deployments().inNamespace("workspace").withName(app).get();
    }

    @Test
    void anEnvValueSetOnPushReachesTheAppButNoTopic() throws Exception {
        String secret = "token-" + java.util.UUID.randomUUID();
        Path folder = home.resolve("keeper");
        write(folder, "index.html", "keeper");

        CliRun push = slipway("push", folder.toString(), "--env", "API_TOKEN=" + secret);

        assertThat(push.exitCode()).as(push.err()).isZero();
        assertThat(KubernetesMocks.appEnv(pipeline.kube, "workspace", "keeper")).containsEntry("API_TOKEN", secret);
        assertThat(pipeline.kube.apps().deployments().inNamespace("workspace").withName("keeper").get().toString())
                .as("the value is in the app's Secret, not in its Deployment").doesNotContain(secret);
        List<String> records = dev.slipway.testsupport.kafka.AllTopics.recordsAsText(
                EmbeddedKafkaCondition.getBroker().getBrokersAsString());
        assertThat(records).hasSizeGreaterThan(10).noneSatisfy(record -> assertThat(record).contains(secret));
        assertThat(records).anySatisfy(record -> assertThat(record).startsWith("slipway.apps").contains("keeper"));
    }

    @Test
    void anArchiveAndAnImageArePushedAndTheAuditTrailShowsThem() throws Exception {
        Path zip = home.resolve("zipped.zip");
        Files.write(zip, Archives.of(Archives.Format.ZIP, Map.of("index.html", "zipped")));

        CliRun archive = slipway("push", zip.toString());
        assertThat(archive.exitCode()).as(archive.err()).isZero();
        assertThat(archive.out()).contains("online at http://zipped.apps.test");

        CliRun image = slipway("push", "--name", "prebuilt", "--container-image-url", "nginx:1.27");
        assertThat(image.exitCode()).as(image.err()).isZero();
        assertThat(image.out()).contains("deploy requested for nginx:1.27", "online at http://prebuilt.apps.test");
        assertThat(image.out()).doesNotContain("staging");

        JsonNode audit = json(slipway("events", "--app", "prebuilt", "-o", "json"));
        assertThat(audit.values()).extracting(event -> event.path("type").asString()).containsExactly(
                "dev.slipway.deploy.requested.v1", "dev.slipway.app.deployed.v1", "dev.slipway.routes.ready.v1");
    }

    @Test
    void aFailedPushExitsNonZeroNamingStageReasonAndNextStepAndReplayCompletesItOnceFixed() throws Exception {
        Path unsafe = home.resolve("unsafe.zip");
        Files.write(unsafe, Archives.of(Archives.Format.ZIP, Map.of("../../evil.sh", "rm -rf /")));
        CliRun refused = slipway("push", unsafe.toString(), "--name", "unsafe");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("failed at stage staging: ARCHIVE_UNSAFE_PATH",
                "slipway push status", "slipway replay");

        Path folder = home.resolve("later");
        write(folder, "index.html", "later");
        pipeline.registry.close();
        CliRun down;
        try {
            down = slipway("push", folder.toString());
        } finally {
            pipeline.registry.resume();
        }
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.err()).contains("failed at stage staging: REGISTRY_UNAVAILABLE", "(the fault looked transient)");
        String pushId = down.out().lines().findFirst().orElseThrow();

        CliRun replay = slipway("replay", pushId);

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.err()).contains("Replaying stage staging of push " + pushId);
        assertThat(replay.out()).contains("(replay of " + pushId + ")", "online at http://later.apps.test");
        assertThat(slipway("push", "status", pushId).out()).contains("online");
        CliRun again = slipway("replay", pushId);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("name a stage");
    }

    @Test
    void unknownAppsAndPushesAreClearErrorsAndDeletionRemovesTheRoutes() throws Exception {
        CliRun unknown = slipway("apps", "show", "nothing-here");
        assertThat(unknown.exitCode()).isEqualTo(CliException.NOT_FOUND);
        assertThat(unknown.err()).contains("app workspace/nothing-here does not exist");
        assertThat(slipway("push", "status", "0b6c3e0e-5a4c-4f43-9b8e-1f2d3c4b5a69").err()).contains("no push");

        Path folder = home.resolve("brief");
        write(folder, "index.html", "brief");
        assertThat(slipway("push", folder.toString()).exitCode()).isZero();
        assertThat(ingressHosts("brief")).containsExactly("brief.apps.test");

        assertThat(slipway("apps", "delete", "brief", "--yes").out()).contains("Deleted app workspace/brief");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> ingressHosts("brief").isEmpty());
    }

    @Test
    void deadLettersAreForAdminsAndTheCliSaysSo() {
        CliRun list = slipway("dead-letters", "list", "--service", "staging-service");
        assertThat(list.exitCode()).isEqualTo(CliException.AUTH);
        assertThat(list.err()).contains("dead letters are for admins", "user alice");

        CliRun redrive = slipway("dead-letters", "redrive", "--service", "staging-service", "--all");
        assertThat(redrive.exitCode()).isEqualTo(CliException.AUTH);
        assertThat(redrive.err()).contains("dead letters are for admins");
    }

    @Test
    void aSubscriptionAddedWithTheCliReceivesTheHistoryAndShowsItsDeliveries() throws Exception {
        Path folder = home.resolve("hooked");
        write(folder, "index.html", "hooked");
        assertThat(slipway("push", folder.toString()).exitCode()).isZero();
        List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer target = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        target.start();
        try {
            CliRun added = slipway("subscriptions", "add", "http://127.0.0.1:" + target.getAddress().getPort()
                    + "/hook", "--type", "dev.slipway.routes.*", "--app", "hooked", "--from", "earliest",
                    "--secret", "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
            assertThat(added.exitCode()).as(added.err()).isZero();
            String id = added.out().strip();

            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> !received.isEmpty());
            assertThat(EventJson.mapper().readTree(received.get(0)).path("type").asString())
                    .isEqualTo("dev.slipway.routes.ready.v1");
            assertThat(json(slipway("subscriptions", "list", "-o", "json")).values())
                    .extracting(each -> each.path("id").asString()).contains(id);
            JsonNode deliveries = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> json(slipway("subscriptions", "deliveries", id, "-o", "json")),
                            list -> list.size() == 1 && list.path(0).path("delivered").asBoolean());
            assertThat(deliveries.path(0).path("statusCodes").path(0).asInt()).isEqualTo(204);
            assertThat(slipway("subscriptions", "rm", id).out()).contains("Removed subscription " + id);
            assertThat(slipway("subscriptions", "deliveries", id).exitCode()).isEqualTo(CliException.NOT_FOUND);
        } finally {
            target.stop(0);
        }
    }

    private CliRun slipway(String... args) {
        return CliRun.of(config, args);
    }

    private static JsonNode json(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return EventJson.mapper().readTree(run.out());
    }

    private List<String> ingressHosts(String app) {
        return pipeline.kube.network().v1().ingresses().inNamespace("workspace").withLabel("slipway.dev/app", app)
                .list().getItems().stream().map((Ingress ingress) -> ingress.getSpec().getRules().get(0).getHost())
                .toList();
    }

    private List<String> archivedNames(AppRef app, String blobUid) throws Exception {
        S3Server s3 = pipeline.s3;
        MinioClient client = MinioClient.builder().endpoint(s3.endpoint()).region(S3Server.REGION)
                .credentials(s3.accessKey(), s3.secretKey()).build();
        List<String> names = new ArrayList<>();
        try (InputStream blob = client.getObject(GetObjectArgs.builder().bucket("slipway-blobs")
                .object(BlobKeys.of(app, blobUid)).build());
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(blob))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static void write(Path folder, String name, String content) throws Exception {
        Path file = folder.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
