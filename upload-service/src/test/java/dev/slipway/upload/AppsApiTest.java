package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppReleases;
import dev.slipway.events.EventJson;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.http.ApiClient;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AppsApiTest extends UploadServiceTest {

    private static final String APPS = "/api/v1/namespaces/workspace/applications";

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createsAnAppAndRefusesASecondOfTheSameNameWith409() {
        String name = uniqueName("web");

        assertThat(as("alice").post(APPS, Map.of("name", name)).status()).isEqualTo(201);
        ApiClient.Reply again = as("alice").post(APPS, Map.of("name", name));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).contains("app workspace/" + name + " already exists");
    }

    @Test
    void showsTheAppWithItsDefaultAndCustomRoutesInstancesAndEnv() {
        String name = uniqueName("shop");
        as("alice").post(APPS, Map.of("name", name, "configuration", Map.of("instances", 2,
                "routes", List.of("https://Shop.Example.com/api/"), "environment", Map.of("GREETING", "hi"))));

        JsonNode app = as("alice").get(APPS + "/" + name).body();

        assertThat(app.path("meta").path("name").asString()).isEqualTo(name);
        assertThat(app.path("meta").path("namespace").asString()).isEqualTo("workspace");
        assertThat(app.path("configuration").path("instances").asInt()).isEqualTo(2);
        assertThat(app.path("configuration").path("routes").values()).extracting(JsonNode::asString)
                .containsExactly(name + ".apps.test", "shop.example.com/api");
        assertThat(app.path("configuration").path("environment").path("GREETING").asString()).isEqualTo("hi");
        assertThat(app.path("status").asString()).isEqualTo("created");
    }

    @Test
    void updateChangesInstancesRoutesAndEnvAndKeepsTheRest() {
        String name = uniqueName("api");
        as("alice").post(APPS, Map.of("name", name, "configuration", Map.of("environment", Map.of("A", "1"))));

        ApiClient.Reply update = as("alice").patch(APPS + "/" + name, Map.of("instances", 3,
                "routes", List.of("api.example.com"), "environment", Map.of("B", "2")));

        assertThat(update.status()).isEqualTo(200);
        JsonNode configuration = as("alice").get(APPS + "/" + name).body().path("configuration");
        assertThat(configuration.path("instances").asInt()).isEqualTo(3);
        assertThat(configuration.path("routes").values()).extracting(JsonNode::asString)
                .containsExactly(name + ".apps.test", "api.example.com");
        assertThat(configuration.path("environment").path("A").asString()).isEqualTo("1");
        assertThat(configuration.path("environment").path("B").asString()).isEqualTo("2");
    }

    @Test
    void createAndUpdateRefuseTheEnvThatEnvSetRefusesAndStoreNothingOfIt() {
        String refusedAtCreate = uniqueName("badenv");
        ApiClient.Reply create = as("alice").post(APPS, Map.of("name", refusedAtCreate, "configuration",
                Map.of("environment", Map.of("PORT", "80"))));
        assertThat(create.status()).isEqualTo(422);
        assertThat(create.error()).contains("PORT is set by the platform");
        assertThat(as("alice").get(APPS + "/" + refusedAtCreate).status()).isEqualTo(404);

        String name = uniqueName("envpatch");
        as("alice").post(APPS, Map.of("name", name, "configuration", Map.of("environment", Map.of("A", "1"))));
        Map<String, Map<String, String>> refused = Map.of(
                "newline", Map.of("B", "one\ntwo"),
                "dash", Map.of("B-C", "x"),
                "PORT", Map.of("PORT", "8080"),
                "too long a name", Map.of("N".repeat(129), "x"));
        refused.forEach((why, environment) -> {
            ApiClient.Reply reply = as("alice").patch(APPS + "/" + name, Map.of("instances", 2, "environment",
                    environment));
            assertThat(reply.status()).as(why).isEqualTo(422);
            assertThat(reply.error()).as(why).doesNotContain("one\ntwo");
        });
        JsonNode configuration = as("alice").get(APPS + "/" + name).body().path("configuration");
        assertThat(configuration.path("instances").asInt()).as("a refused update changes nothing").isEqualTo(1);
        assertThat(configuration.path("environment").propertyNames()).containsExactly("A");
    }

    @Test
    void listsOnlyTheAppsOfTheNamespaceAndHidesEnvValues() {
        String name = uniqueName("listed");
        as("alice").post(APPS, Map.of("name", name, "configuration", Map.of("environment", Map.of("TOKEN", "s3cret"))));
        as("bob").post("/api/v1/namespaces/other/applications", Map.of("name", uniqueName("elsewhere")));

        List<JsonNode> listed = as("alice").get(APPS).body().values().stream().toList();

        assertThat(listed).extracting(app -> app.path("meta").path("namespace").asString()).containsOnly("workspace");
        JsonNode mine = listed.stream().filter(app -> app.path("meta").path("name").asString().equals(name))
                .findFirst().orElseThrow();
        assertThat(mine.path("configuration").path("environment").path("TOKEN").asString()).isEqualTo("***");
        assertThat(as("alice").get("/api/v1/applications").body().values().stream()
                .map(app -> app.path("meta").path("namespace").asString())).containsOnly("workspace");
    }

    @Test
    void showsTheCurrentReleaseAndTheRevisionsBeforeItAsDeployServiceKeepsThem() throws Exception {
        String name = uniqueName("released");
        as("alice").post(APPS, Map.of("name", name));
        AppRef app = new AppRef("workspace", name);
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 1, 9, 0, 0, 0, ZoneOffset.UTC);
        AppReleases releases = AppReleases.first(app, new AppReleases.Release(1, "registry.test/a:1", "stage-1", 1, at))
                .then(new AppReleases.Release(2, "registry.test/a:2", null, 3, at.plusHours(1)), 10);
        assertThat(as("alice").get(APPS + "/" + name).body().path("revisions").isEmpty()).isTrue();

        writeReleases(app.toString(), EventJson.mapper().writeValueAsBytes(releases));

        JsonNode shown = await().atMost(Duration.ofSeconds(30)).until(() -> as("alice").get(APPS + "/" + name).body(),
                body -> body.has("release"));
        assertThat(shown.path("release").path("revision").asInt()).isEqualTo(2);
        assertThat(shown.path("release").path("image").asString()).isEqualTo("registry.test/a:2");
        assertThat(shown.path("release").path("instances").asInt()).isEqualTo(3);
        assertThat(shown.path("release").path("released_at").asString()).isEqualTo("2026-12-01T10:00Z");
        assertThat(shown.path("revisions").values()).singleElement().satisfies(earlier -> {
            assertThat(earlier.path("revision").asInt()).isEqualTo(1);
            assertThat(earlier.path("stage_id").asString()).isEqualTo("stage-1");
        });

        // removed by deploy-service: a tombstone, and nothing is shown any more
        writeReleases(app.toString(), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> !as("alice").get(APPS + "/" + name).body().has("release"));
    }

    @Test
    void aReleasesRecordFiledUnderAnotherAppsKeyIsIgnoredAndTheNextOneStillRead() throws Exception {
        String victim = uniqueName("victim");
        String later = uniqueName("later");
        as("alice").post(APPS, Map.of("name", victim));
        as("alice").post(APPS, Map.of("name", later));
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
        AppReleases other = AppReleases.first(new AppRef("other", "intruder"),
                new AppReleases.Release(7, "evil.test/x:1", null, 1, at));

        writeReleases("workspace/" + victim, EventJson.mapper().writeValueAsBytes(other));
        writeReleases("workspace/" + victim + "-garbage", "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        writeReleases("workspace/" + later, EventJson.mapper().writeValueAsBytes(AppReleases.first(
                new AppRef("workspace", later), new AppReleases.Release(1, "registry.test/later:1", null, 1, at))));

        await().atMost(Duration.ofSeconds(30)).until(() -> as("alice").get(APPS + "/" + later).body().has("release"));
        assertThat(as("alice").get(APPS + "/" + victim).body().has("release")).isFalse();
    }

    private void writeReleases(String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.RELEASES, key, value)).get();
        }
    }

    @Test
    void deletingAnAppForgetsItAndAnnouncesTheDeletion() {
        String name = uniqueName("gone");
        as("alice").post(APPS, Map.of("name", name));
        assertThat(as("bob").delete(APPS + "/" + name).status()).isEqualTo(403);

        assertThat(as("alice").delete(APPS + "/" + name).status()).isEqualTo(200);

        assertThat(as("alice").get(APPS + "/" + name).status()).isEqualTo(404);
        var deleted = log.decode(log.awaitRecord(record -> dev.slipway.events.EventType.APP_DELETED.type()
                .equals(dev.slipway.testsupport.kafka.EventLog.header(record, "ce_type"))
                && name.equals(dev.slipway.testsupport.kafka.EventLog.header(record, "ce_app")),
                java.time.Duration.ofSeconds(30)));
        assertThat(((dev.slipway.events.AppDeleted) deleted.data()).username()).isEqualTo("alice");
        assertThat(as("alice").post(APPS, Map.of("name", name)).status()).isEqualTo(201);
    }

    @Test
    void memoryWithinTheCapIsKeptShownChangedAndCarriedToTheStageRequest() {
        String name = uniqueName("sized");
        as("alice").post(APPS, Map.of("name", name, "configuration", Map.of("memory", 256)));
        assertThat(as("alice").get(APPS + "/" + name).body().path("configuration").path("memory").asInt())
                .isEqualTo(256);

        assertThat(as("alice").patch(APPS + "/" + name, Map.of("memory", 2048)).status()).isEqualTo(200);
        assertThat(as("alice").patch(APPS + "/" + name, Map.of("instances", 2)).status()).isEqualTo(200);

        assertThat(as("alice").get(APPS + "/" + name).body().path("configuration").path("memory").asInt())
                .isEqualTo(2048);
        byte[] archive = dev.slipway.testsupport.archives.Archives.tarGz(Map.of("index.html", "hello"));
        String blobUid = as("alice").upload(APPS + "/" + name + "/store", "file",
                () -> new java.io.ByteArrayInputStream(archive)).body().path("blobuid").asString();
        String stageId = as("alice").post(APPS + "/" + name + "/stage", Map.of("app", Map.of("name", name,
                "namespace", "workspace"), "blobuid", blobUid)).body().path("stage").path("id").asString();
        var requested = (dev.slipway.events.StageRequested) log.awaitEvent(stageId,
                dev.slipway.events.EventType.STAGE_REQUESTED, java.time.Duration.ofSeconds(30)).data();
        assertThat(requested.settings().memoryMb()).isEqualTo(2048);
    }

    @Test
    void memoryAboveThePlatformsCapOrBelowAnyUseIs422AndChangesNothing() {
        String name = uniqueName("greedy");
        ApiClient.Reply tooMuch = as("alice").post(APPS, Map.of("name", name, "configuration",
                Map.of("memory", 2049)));
        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(tooMuch.error()).contains("memory 2049 MB is above this platform's cap of 2048 MB",
                "slipway.apps.max-memory");
        assertThat(as("alice").get(APPS + "/" + name).status()).isEqualTo(404);

        as("alice").post(APPS, Map.of("name", name, "configuration", Map.of("memory", 64)));
        for (int refused : List.of(Integer.MAX_VALUE, 2049, 15, 0, -1)) {
            ApiClient.Reply reply = as("alice").patch(APPS + "/" + name, Map.of("memory", refused, "instances", 5));
            assertThat(reply.status()).as("memory %d", refused).isEqualTo(422);
            assertThat(reply.error()).contains("memory");
        }
        JsonNode configuration = as("alice").get(APPS + "/" + name).body().path("configuration");
        assertThat(configuration.path("memory").asInt()).isEqualTo(64);
        assertThat(configuration.path("instances").asInt()).isEqualTo(1);
    }

    @Test
    void memoryThatIsNoWholeNumberIsAClearClientError() {
        for (Object odd : List.of("lots", 1.5, 99999999999L)) {
            ApiClient.Reply reply = as("alice").post(APPS, Map.of("name", uniqueName("odd"), "configuration",
                    Map.of("memory", odd)));
            assertThat(reply.status()).as("memory %s", odd).isBetween(400, 422);
            assertThat(reply.error()).as("memory %s", odd).isNotBlank();
        }
    }

    @Test
    void refusesNamesThatAreNotDnsLabels() {
        ApiClient.Reply reply = as("alice").post(APPS, Map.of("name", "My_App"));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.error()).contains("app name 'My_App' is not a valid DNS-1123 label");
        assertThat(as("admin").post("/api/v1/namespaces/Bad.NS/applications", Map.of("name", "ok")).status())
                .isEqualTo(422);
    }

    @Test
    void refusesRoutesThatAreNotHostNames() {
        ApiClient.Reply reply = as("alice").post(APPS, Map.of("name", uniqueName("routes"),
                "configuration", Map.of("routes", List.of("not a host/../x"))));

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.error()).contains("is not host[/path]");
    }

    @Test
    void anUnknownAppIs404WithTheWayToCreateIt() {
        ApiClient.Reply reply = as("alice").get(APPS + "/nothing-here");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).contains("POST /api/v1/namespaces/workspace/applications");
    }

    @Test
    void envValuesNeverReachTheEventLogOrTheAppTopicInTheClear() {
        String name = uniqueName("secretive");
        String secret = "value-" + UUID.randomUUID();
        as("alice").post(APPS, Map.of("name", name, "configuration", Map.of("environment", Map.of("KEY", secret))));

        try (var apps = log.topic("slipway.apps")) {
            var records = apps.awaitCount(record -> record.key().equals("workspace/" + name), 1,
                    java.time.Duration.ofSeconds(30));
            assertThat(new String(records.get(0).value(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("KEY").doesNotContain(secret);
        }
    }
}
