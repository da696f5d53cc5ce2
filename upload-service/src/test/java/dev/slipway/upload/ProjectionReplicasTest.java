package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.s3.S3Server;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas share the pushes' stores by partition: each answers for every push (forwarding to
 * the holder) and the audit trail of both; a caller sees no more through a forwarded request or a
 * crafted cursor than through its own replica. Each replica keeps almost no recent events here, so
 * an answer about a push it does not hold can only come from the holder.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionReplicasTest {

    private static final String PASSWORD = "pw-for-projection-replicas";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");
    private final S3Server s3 = S3Server.inMemory();
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();
    private final List<String> pushes = new ArrayList<>();
    private int firstPort;
    private int secondPort;
    private EventLog log;

    @BeforeAll
    void startTwoReplicasAndPushFromBoth() {
        log = new EventLog(EmbeddedKafkaCondition.getBroker().getBrokersAsString());
        firstPort = start();
        secondPort = start();
        await().atMost(TIMEOUT).until(() -> ready(firstPort) && ready(secondPort));
        for (int i = 0; i < 6; i++) {
            pushes.add(push(i % 2 == 0 ? firstPort : secondPort, "replicated-" + i));
        }
    }

    @AfterAll
    void stop() throws Exception {
        running.forEach(ConfigurableApplicationContext::close);
        log.close();
        s3.close();
    }

    @Test
    void bothReplicasAnswerTheSameForPushesHeldByEitherAndTheWholeAuditTrail() throws Exception {
        for (String pushId : pushes) {
            JsonNode onFirst = await().atMost(TIMEOUT).until(() -> as("alice", firstPort).get("/api/v1/pushes/"
                    + pushId), reply -> reply.status() == 200).body();
            assertThat(onFirst.path("state").asString()).isEqualTo("staging");
            assertThat(as("alice", secondPort).get("/api/v1/pushes/" + pushId).body()).isEqualTo(onFirst);
            String app = onFirst.path("app").path("name").asString();
            String deployment = "/api/v1/namespaces/workspace/applications/" + app + "/deployments/" + pushId;
            assertThat(as("alice", secondPort).get(deployment).body())
                    .isEqualTo(as("alice", firstPort).get(deployment).body());
        }

        // a push ends: its event stream, through either replica, shows the same events and ends
        String ended = pushes.get(0);
        @SuppressWarnings("unchecked")
        Event<StageRequested> requested = (Event<StageRequested>) (Event<?>) log.awaitEvent(ended,
                EventType.STAGE_REQUESTED, TIMEOUT);
        log.publish(requested.next(URI.create("/slipway/staging-service"), new StageFailed(requested.data().blobUid(),
                requested.data().app(), StageStep.BUILD, new Failure(ReasonCodes.REGISTRY_UNAVAILABLE, "down", true),
                requested.data())));
        await().atMost(TIMEOUT).until(() -> as("alice", secondPort).get("/api/v1/pushes/" + ended).body().path("state")
                .asString().equals("failed"));
        List<String> streamedFirst = as("alice", firstPort).lines("/api/v1/pushes/" + ended + "/events")
                .filter(line -> line.startsWith("id:")).toList();
        assertThat(streamedFirst).hasSize(3);  // push.queued, stage.requested, stage.failed
        assertThat(as("alice", secondPort).lines("/api/v1/pushes/" + ended + "/events")
                .filter(line -> line.startsWith("id:")).toList()).isEqualTo(streamedFirst);

        // the audit trail: every part, from either replica, in time order
        List<JsonNode> whole = await().atMost(TIMEOUT).until(() -> audit("admin", firstPort, "?limit=10000"),
                events -> stageRequests(events).containsAll(pushes));
        assertThat(audit("admin", secondPort, "?limit=10000")).isEqualTo(whole);
        assertThat(whole).isSortedAccordingTo(java.util.Comparator.comparing(event -> event.path("time").asString()));

        // paged two at a time through the Link header, across replicas: the same events, each once
        List<JsonNode> paged = new ArrayList<>();
        String next = "/api/v1/events?limit=2&since=1970-01-01T00:00:00Z";
        int port = firstPort;
        while (next != null) {
            ApiClient.Reply page = as("admin", port).get(next);
            assertThat(page.status()).isEqualTo(200);
            page.body().forEach(paged::add);
            next = page.header("Link").map(ProjectionReplicasTest::nextOf).orElse(null);
            port = port == firstPort ? secondPort : firstPort;
        }
        assertThat(paged).isEqualTo(whole);
    }

    @Test
    void aCallerSeesNoOtherNamespacesPushThroughEitherReplicaAForgedForwardMarkOrACraftedCursor() {
        for (String pushId : pushes) {
            for (int port : List.of(firstPort, secondPort)) {
                await().atMost(TIMEOUT).until(() -> as("alice", port).get("/api/v1/pushes/" + pushId).status() == 200);
                assertThat(as("bob", port).get("/api/v1/pushes/" + pushId).status()).isEqualTo(404);
                assertThat(as("bob", port).get("/api/v1/pushes/" + pushId + "/events").status()).isEqualTo(404);
                assertThat(as("bob", port).post("/api/v1/pushes/" + pushId + "/replay", Map.of()).status())
                        .isEqualTo(404);
                // a replay's body reaches the replica holding the push: the stage named there is what it weighs
                ApiClient.Reply named = as("alice", port).post("/api/v1/pushes/" + pushId + "/replay",
                        Map.of("stage", "staging"));
                assertThat(named.status()).isEqualTo(409);
                assertThat(named.body().path("errors").path(0).path("title").asString()).isEqualTo("push in progress");
                RawRequests.Reply forged = RawRequests.from("127.0.0.1", port)
                        .header("Authorization", basic("bob")).header("X-Slipway-Forwarded", "1")
                        .get("/api/v1/pushes/" + pushId);
                assertThat(forged.status()).isEqualTo(404);
                assertThat(forged.body()).doesNotContain("workspace");
                RawRequests.Reply anonymous = RawRequests.from("127.0.0.1", port).header("X-Slipway-Forwarded", "1")
                        .get("/api/v1/pushes/" + pushId);
                assertThat(anonymous.status()).isEqualTo(401);
            }
        }

        // alice's page cursor steers bob's page to a place in time, not into alice's namespace
        ApiClient.Reply alicePage = as("alice", firstPort).get("/api/v1/events?limit=1&since=1970-01-01T00:00:00Z");
        String cursor = nextOf(alicePage.header("Link").orElseThrow()).replaceAll(".*after=([^&]+).*", "$1");
        for (int port : List.of(firstPort, secondPort)) {
            assertThat(audit("bob", port, "?after=" + cursor)).isEmpty();
            assertThat(audit("bob", port, "?after=" + cursor + "&namespace=other&limit=10000")).isEmpty();
            String crafted = Base64.getUrlEncoder().withoutPadding().encodeToString("1/0/x".getBytes(
                    StandardCharsets.UTF_8));
            assertThat(audit("bob", port, "?after=" + crafted)).isEmpty();
            assertThat(as("bob", port).get("/api/v1/events?namespace=workspace&after=" + cursor).status())
                    .isEqualTo(403);
            RawRequests.Reply forgedAudit = RawRequests.from("127.0.0.1", port).header("Authorization", basic("bob"))
                    .header("X-Slipway-Forwarded", "1").get("/api/v1/events?limit=10000");
            assertThat(forgedAudit.json().size()).isZero();
        }
    }

    @Test
    void garbageLimitsAndCursorsAre400WithAReason() {
        for (String query : List.of("?limit=abc", "?limit=0", "?limit=10001", "?limit=-1", "?limit=1e3",
                "?after=not-a-cursor!", "?after=" + "A".repeat(400),
                "?after=" + Base64.getUrlEncoder().encodeToString("2/1/x".getBytes(StandardCharsets.UTF_8)),
                "?after=" + Base64.getUrlEncoder().withoutPadding().encodeToString("1/99999999999999999999/x"
                        .getBytes(StandardCharsets.UTF_8)),
                "?after=" + Base64.getUrlEncoder().withoutPadding().encodeToString("1/5/<script>"
                        .getBytes(StandardCharsets.UTF_8)))) {
            ApiClient.Reply refused = as("alice", secondPort).get("/api/v1/events" + query);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.error()).as(query).containsAnyOf("limit must be", "after must be");
        }
    }

    private static String nextOf(String link) {
        Matcher matcher = NEXT.matcher(link);
        assertThat(matcher.find()).as(link).isTrue();
        String uri = matcher.group(1);
        return uri.substring(uri.indexOf("/api/"));
    }

    private static List<String> stageRequests(List<JsonNode> events) {
        return events.stream().filter(event -> EventType.STAGE_REQUESTED.type().equals(event.path("type").asString()))
                .map(event -> event.path("correlationid").asString()).toList();
    }

    private List<JsonNode> audit(String user, int port, String query) {
        ApiClient.Reply reply = as(user, port).get("/api/v1/events" + query);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        reply.body().forEach(events::add);
        return events;
    }

    private String push(int port, String app) {
        ApiClient alice = as("alice", port);
        alice.post("/api/v1/namespaces/workspace/applications", Map.of("name", app));
        byte[] archive = Archives.tarGz(Map.of("index.html", app));
        String blobUid = alice.upload("/api/v1/namespaces/workspace/applications/" + app + "/store", "file",
                () -> new ByteArrayInputStream(archive)).body().path("blobuid").asString();
        return alice.post("/api/v1/namespaces/workspace/applications/" + app + "/stage", Map.of("blobuid", blobUid))
                .body().path("stage").path("id").asString();
    }

    private static boolean ready(int port) {
        return ApiClient.anonymous(port).get("/actuator/health/readiness").body().path("status").asString()
                .equals("UP");
    }

    private int start() {
        int port = FreePorts.next();
        String hash = new BCryptPasswordEncoder(4).encode(PASSWORD);
        running.add(UploadServiceApplication.application().run(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + EmbeddedKafkaCondition.getBroker().getBrokersAsString(),
                "--slipway.upload.streams.state-dir=" + UploadServiceTest.stateDir(),
                "--slipway.upload.streams.application-server=127.0.0.1:" + port,
                "--slipway.upload.projection.recent-events=1",
                "--slipway.s3.endpoint=" + s3.endpoint(),
                "--slipway.s3.access-key=" + s3.accessKey(),
                "--slipway.s3.secret-key=" + s3.secretKey(),
                "--slipway.auth.token-key=" + "t".repeat(40),
                "--slipway.secrets.key=" + "s".repeat(40),
                "--slipway.auth.logins-per-minute=10000",
                "--slipway.auth.users[0].username=admin",
                "--slipway.auth.users[0].password-hash=" + hash,
                "--slipway.auth.users[0].roles[0]=admin",
                "--slipway.auth.users[1].username=alice",
                "--slipway.auth.users[1].password-hash=" + hash,
                "--slipway.auth.users[1].roles[0]=user",
                "--slipway.auth.users[1].namespaces[0]=workspace",
                "--slipway.auth.users[2].username=bob",
                "--slipway.auth.users[2].password-hash=" + hash,
                "--slipway.auth.users[2].roles[0]=user:other"));
        return port;
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static ApiClient as(String user, int port) {
        return ApiClient.anonymous(port).basic(user, PASSWORD);
    }

}
