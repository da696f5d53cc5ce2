package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppReleases;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployChange;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kafka.AllTopics;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Day-2 changes (scale, restart, env, routes) as a user sees them: the app's stored settings change,
 * and an app with a running release gets a push of that release's image with the new settings.
 */
class AppChangesApiTest extends UploadServiceTest {

    private static final String APPS = "/api/v1/namespaces/workspace/applications";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private String name;
    private String base;
    private final String stageId = UUID.randomUUID().toString();
    private String image;

    @BeforeEach
    void createApp() {
        name = AppsApiTest.uniqueName("day2");
        base = APPS + "/" + name;
        image = "registry.test/workspace-" + name + ":" + stageId;
        assertThat(as("alice").post(APPS, Map.of("name", name)).status()).isEqualTo(201);
    }

    @Test
    void aChangeOfAnAppThatRunsNothingYetIsStoredAndAppliesAtTheNextPush() {
        ApiClient.Reply scaled = as("alice").post(base + "/scale", Map.of("instances", 3));

        assertThat(scaled.status()).isEqualTo(200);
        assertThat(scaled.body().path("id").isNull()).isTrue();
        assertThat(scaled.body().path("message").asString()).contains("applies at the next push");
        assertThat(as("alice").get(base).body().path("configuration").path("instances").asInt()).isEqualTo(3);
        // nothing runs: nothing to restart
        ApiClient.Reply restart = as("alice").post(base + "/restart", Map.of());
        assertThat(restart.status()).isEqualTo(409);
        assertThat(restart.error()).contains("no release to restart", "push it first");
    }

    @Test
    void scalingARunningAppIsAPushOfItsRunningImageWithTheNewInstancesNamedAsAScale() throws Exception {
        running(1);

        ApiClient.Reply reply = as("alice").post(base + "/scale", Map.of("instances", 2));

        assertThat(reply.status()).isEqualTo(202);
        String pushId = reply.body().path("id").asString();
        assertThat(reply.header("Location")).contains("/api/v1/pushes/" + pushId);
        DeployRequested request = (DeployRequested) log.awaitEvent(pushId, EventType.DEPLOY_REQUESTED, TIMEOUT).data();
        assertThat(request.action()).isEqualTo(DeployAction.DEPLOY);
        assertThat(request.change()).isEqualTo(DeployChange.SCALE);
        assertThat(request.image()).isEqualTo(image);
        assertThat(request.stageId()).isEqualTo(stageId);
        assertThat(request.settings().instances()).isEqualTo(2);
        JsonNode push = as("alice").get("/api/v1/pushes/" + pushId).body();
        assertThat(push.path("state").asString()).isEqualTo("deploying");
        assertThat(push.toString()).contains("\"change\":\"scale\"");
        assertThat(as("alice").get(base).body().path("configuration").path("instances").asInt()).isEqualTo(2);
    }

    @Test
    void instancesOutsideTheBoundsOrMissingAreRefusedAndChangeNothing() throws Exception {
        running(1);

        assertThat(as("alice").post(base + "/scale", Map.of("instances", -1)).status()).isEqualTo(422);
        ApiClient.Reply tooMany = as("alice").post(base + "/scale", Map.of("instances", 11));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.error()).contains("at most 10 instances", "slipway.limits.max-instances");
        assertThat(as("alice").post(base + "/scale", Map.of("instances", 99_999_999_999L)).status())
                .isBetween(400, 422);
        assertThat(as("alice").post(base + "/scale", Map.of()).status()).isEqualTo(422);
        assertThat(as("alice").post(base + "/scale", Map.of("instances", "two")).status()).isBetween(400, 422);
        assertThat(as("alice").get(base).body().path("configuration").path("instances").asInt()).isEqualTo(1);
        assertThat(deployRequestsOf(name)).isEmpty();
    }

    @Test
    void anotherNamespaceIs403AndAnUnknownAppIs404ForEveryChange() {
        for (String path : List.of("/scale", "/restart", "/env", "/routes")) {
            assertThat(as("bob").post(base + path, Map.of("instances", 1)).status()).as(path).isEqualTo(403);
            assertThat(as("alice").post(APPS + "/no-such-app" + path, Map.of("instances", 1)).status()).as(path)
                    .isEqualTo(404);
        }
        assertThat(as("bob").get(base + "/env").status()).isEqualTo(403);
        assertThat(as("bob").get(base + "/routes").status()).isEqualTo(403);
        assertThat(as("bob").delete(base + "/routes?route=x.example.com").status()).isEqualTo(403);
        assertThat(anonymous().post(base + "/scale", Map.of("instances", 1)).status()).isEqualTo(401);
    }

    @Test
    void aRestartRunsTheSameImageAndSettingsAgainAsANewPushAndABareScriptPostIsEnough() throws Exception {
        running(1);
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes());

        RawRequests.Reply bare = RawRequests.from("127.0.0.1", port).header("Authorization", basic)
                .send("POST", base + "/restart", null);

        assertThat(bare.status()).isEqualTo(202);
        String pushId = bare.json().path("id").asString();
        DeployRequested request = (DeployRequested) log.awaitEvent(pushId, EventType.DEPLOY_REQUESTED, TIMEOUT).data();
        assertThat(request.change()).isEqualTo(DeployChange.RESTART);
        assertThat(request.image()).isEqualTo(image);
        assertThat(request.settings().instances()).isEqualTo(1);
        // while that push runs, the image it runs may be about to change: a second change waits for it to end
        ApiClient.Reply meanwhile = as("alice").post(base + "/scale", Map.of("instances", 3));
        assertThat(meanwhile.status()).isEqualTo(409);
        assertThat(meanwhile.error()).contains("push " + pushId, "deploying", "slipway events " + pushId);
        assertThat(as("alice").get(base).body().path("configuration").path("instances").asInt()).isEqualTo(1);
        online(pushId);
        // each restart is a push of its own, with a blob uid of its own (the runtimes start new instances for it)
        String again = as("alice").post(base + "/restart", Map.of()).body().path("id").asString();
        DeployRequested second = (DeployRequested) log.awaitEvent(again, EventType.DEPLOY_REQUESTED, TIMEOUT).data();
        assertThat(second.blobUid()).isNotEqualTo(request.blobUid());
    }

    @Test
    void envSetAndUnsetAreNewConfigurationVersionsListedMaskedAndTheirValuesNeverOnTheLog() throws Exception {
        running(1);

        ApiClient.Reply set = as("alice").post(base + "/env", Map.of("set", Map.of("GREETING", "s3cret-greeting",
                "MODE", "prod")));

        assertThat(set.status()).isEqualTo(202);
        DeployRequested first = (DeployRequested) log.awaitEvent(set.body().path("id").asString(),
                EventType.DEPLOY_REQUESTED, TIMEOUT).data();
        assertThat(first.change()).isEqualTo(DeployChange.ENV);
        assertThat(first.settings().configurationRef()).isEqualTo("workspace/" + name + "@1");
        JsonNode listed = as("alice").get(base + "/env").body().path("environment");
        assertThat(listed.path("GREETING").asString()).isEqualTo("***");
        assertThat(listed.path("MODE").asString()).isEqualTo("***");
        assertThat(as("alice").get(base).body().path("configuration").path("environment").path("GREETING")
                .asString()).isEqualTo("s3cret-greeting");

        online(set.body().path("id").asString());
        ApiClient.Reply unset = as("alice").post(base + "/env", Map.of("unset", List.of("MODE")));
        assertThat(unset.status()).isEqualTo(202);
        DeployRequested second = (DeployRequested) log.awaitEvent(unset.body().path("id").asString(),
                EventType.DEPLOY_REQUESTED, TIMEOUT).data();
        assertThat(second.settings().configurationRef()).isEqualTo("workspace/" + name + "@2");
        assertThat(as("alice").get(base + "/env").body().path("environment").has("MODE")).isFalse();

        // the value is on no event of the log: only the configuration's reference travels
        assertThat(AllTopics.recordsAsText(broker.getBrokersAsString())).noneMatch(text -> text.contains(
                "s3cret-greeting"));
    }

    @Test
    void envNamesAndValuesAreCheckedAndARefusedChangeStoresNothing() {
        Map<String, Object> tooMany = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            tooMany.put("V" + i, "x");
        }
        Map<String, Map<String, Object>> refused = Map.of(
                "digit first", Map.of("set", Map.of("1BAD", "x")),
                "dash", Map.of("set", Map.of("A-B", "x")),
                "newline", Map.of("set", Map.of("A", "one\ntwo")),
                "NUL", Map.of("set", Map.of("A", "one\u0000two")),
                "PORT", Map.of("set", Map.of("PORT", "80")),
                "empty change", Map.of(),
                "unknown unset", Map.of("unset", List.of("NEVER_SET")),
                "both", Map.of("set", Map.of("A", "1"), "unset", List.of("A")),
                "too many", Map.of("set", tooMany),
                "too long a name", Map.of("set", Map.of("N".repeat(129), "x")));

        refused.forEach((why, body) -> {
            ApiClient.Reply reply = as("alice").post(base + "/env", body);
            assertThat(reply.status()).as(why).isEqualTo(422);
            assertThat(reply.error()).as(why).doesNotContain("one\ntwo");
        });
        assertThat(as("alice").post(base + "/env", Map.of("set", Map.of("A", "x".repeat(70_000)))).status())
                .as("over the JSON body cap").isEqualTo(413);
        assertThat(as("alice").get(base + "/env").body().path("environment").isEmpty()).isTrue();
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes());
        RawRequests.Reply put = RawRequests.from("127.0.0.1", port).header("Authorization", basic)
                .header("Content-Type", "application/json").send("PUT", base + "/env", "{\"set\":{\"A\":\"1\"}}");
        assertThat(put.status()).as("PUT works as POST").isEqualTo(200);
        assertThat(as("alice").get(base + "/env").body().path("environment").path("A").asString()).isEqualTo("***");
    }

    @Test
    void anAppHoldsABoundedEnvHoweverManyChangesSetIt() {
        for (int change = 0; change < 4; change++) {
            assertThat(as("alice").post(base + "/env", Map.of("set", names("C" + change + "_", 64))).status())
                    .as("change %d", change).isEqualTo(200);
        }

        ApiClient.Reply past = as("alice").post(base + "/env", Map.of("set", Map.of("ONE_MORE", "x")));

        assertThat(past.status()).isEqualTo(422);
        assertThat(past.error()).contains("257 env vars", "at most 256", "slipway env unset");
        assertThat(as("alice").get(base + "/env").body().path("environment").size()).isEqualTo(256);
        // replacing values keeps the count, but not the stored size past its bound
        String big = "v".repeat(30_000);
        int accepted = 0;
        ApiClient.Reply reply;
        while ((reply = as("alice").post(base + "/env", Map.of("set", Map.of("C0_" + accepted, big)))).status() == 200) {
            accepted++;
        }
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.error()).contains("at most 256 KB");
        assertThat(accepted).isBetween(4, 8);
    }

    private static Map<String, Object> names(String prefix, int count) {
        Map<String, Object> names = new HashMap<>();
        for (int i = 0; i < count; i++) {
            names.put(prefix + i, "x");
        }
        return names;
    }

    @Test
    void routesAreAddedNormalizedListedAndRemovedEachAPushOfTheRunningImage() throws Exception {
        running(1);

        ApiClient.Reply added = as("alice").post(base + "/routes", Map.of("route", "HTTPS://Shop-" + name
                + ".Example.com/api/"));

        assertThat(added.status()).isEqualTo(202);
        String route = "shop-" + name + ".example.com/api";
        DeployRequested request = (DeployRequested) log.awaitEvent(added.body().path("id").asString(),
                EventType.DEPLOY_REQUESTED, TIMEOUT).data();
        assertThat(request.change()).isEqualTo(DeployChange.ROUTES);
        assertThat(request.settings().routes()).containsExactly(route);
        assertThat(as("alice").get(base + "/routes").body().path("routes").values()).extracting(JsonNode::asString)
                .containsExactly(name + ".apps.test", route);
        assertThat(as("alice").post(base + "/routes", Map.of("route", route)).status()).isEqualTo(409);

        online(added.body().path("id").asString());
        ApiClient.Reply removed = as("alice").delete(base + "/routes?route=https://" + route + "/");
        assertThat(removed.status()).isEqualTo(202);
        DeployRequested after = (DeployRequested) log.awaitEvent(removed.body().path("id").asString(),
                EventType.DEPLOY_REQUESTED, TIMEOUT).data();
        assertThat(after.settings().routes()).isEmpty();
        assertThat(as("alice").delete(base + "/routes?route=" + route).status()).isEqualTo(404);
    }

    @Test
    void aRouteOfAnotherAppOrAHostOfAnotherNamespaceIsARouteConflictAndTheDefaultRouteStays() {
        String other = AppsApiTest.uniqueName("owner");
        as("alice").post(APPS, Map.of("name", other, "configuration", Map.of("routes", List.of("mine-" + other
                + ".example.com"))));
        String foreign = AppsApiTest.uniqueName("foreign");
        as("bob").post("/api/v1/namespaces/other/applications", Map.of("name", foreign, "configuration",
                Map.of("routes", List.of("theirs-" + foreign + ".example.com/x"))));

        ApiClient.Reply sameNamespace = as("alice").post(base + "/routes", Map.of("route", "mine-" + other
                + ".example.com"));
        ApiClient.Reply othersDefault = as("alice").post(base + "/routes", Map.of("route", other + ".apps.test"));
        ApiClient.Reply otherNamespace = as("alice").post(base + "/routes", Map.of("route", "theirs-" + foreign
                + ".example.com/elsewhere"));

        for (ApiClient.Reply reply : List.of(sameNamespace, othersDefault, otherNamespace)) {
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.body().path("errors").path(0).path("title").asString()).isEqualTo("ROUTE_CONFLICT");
        }
        assertThat(sameNamespace.error()).contains("belongs to app " + other);
        assertThat(otherNamespace.error()).contains("belongs to another namespace").doesNotContain("app " + foreign, "namespace other");
        assertThat(as("alice").post(base + "/routes", Map.of("route", "slipway.apps.test")).status()).isEqualTo(422);
        assertThat(as("alice").post(base + "/routes", Map.of("route", "not a host!")).status()).isEqualTo(422);
        ApiClient.Reply defaultRoute = as("alice").delete(base + "/routes?route=" + name + ".apps.test");
        assertThat(defaultRoute.status()).isEqualTo(422);
        assertThat(defaultRoute.error()).contains("default route", "stays as long as the app exists");
        assertThat(as("alice").delete(base + "/routes").status()).isEqualTo(400);
        assertThat(as("alice").get(base + "/routes").body().path("routes").size()).isEqualTo(1);
    }

    @Test
    void theCookieWithoutTheAntiForgeryHeaderChangesNothing() {
        RawRequests.Reply login = RawRequests.from("127.0.0.1", port).header("Content-Type", "application/json")
                .send("POST", "/api/v1/login", "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");
        String setCookie = login.header("Set-Cookie").orElseThrow();
        String session = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));

        RawRequests.Reply forged = RawRequests.from("127.0.0.1", port).header("Cookie", "slipway_session=" + session)
                .header("Content-Type", "application/json").send("POST", base + "/scale", "{\"instances\":5}");

        assertThat(forged.status()).isEqualTo(403);
        assertThat(as("alice").get(base).body().path("configuration").path("instances").asInt()).isEqualTo(1);
    }

    /** deploy-service released the app: its current release runs the test's image, with {@code instances}. */
    private void running(int instances) throws Exception {
        AppRef app = new AppRef("workspace", name);
        AppReleases releases = AppReleases.first(app, new AppReleases.Release(1, image, stageId, instances,
                OffsetDateTime.now(ZoneOffset.UTC)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.RELEASES, releases.key(),
                    EventJson.mapper().writeValueAsBytes(releases))).get();
        }
        await().atMost(TIMEOUT).until(() -> as("alice").get(base).body().has("release"));
    }

    /** deploy-service and routing-service carried the push out: it ends online. */
    private void online(String pushId) {
        Event<EventData> requested = log.awaitEvent(pushId, EventType.DEPLOY_REQUESTED, TIMEOUT);
        log.publish(requested.next(URI.create("/slipway/routing-service"), new RoutesReady(requested.key(),
                requested.data().app(), List.of("http://" + name + ".apps.test"))));
        await().atMost(TIMEOUT).until(() -> as("alice").get("/api/v1/pushes/" + pushId).body().path("state")
                .asString(), "online"::equals);
    }

    /** The app's deploy requests, as the audit API lists them. */
    private List<JsonNode> deployRequestsOf(String app) {
        return as("admin").get("/api/v1/events?namespace=workspace&app=" + app + "&type="
                + EventType.DEPLOY_REQUESTED.type()).body().values().stream().toList();
    }
}
