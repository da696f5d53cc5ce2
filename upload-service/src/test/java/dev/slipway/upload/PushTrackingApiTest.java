package dev.slipway.upload;

import dev.slipway.testsupport.http.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStarted;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.metrics.Scrape;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Push tracking as a client sees it: status, the event stream, audit and replay. The test plays the
 * other services by publishing their events on the real broker.
 */
class PushTrackingApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final URI STAGING = URI.create("/slipway/staging-service");
    private static final URI DEPLOY = URI.create("/slipway/deploy-service");
    private static final URI ROUTING = URI.create("/slipway/routing-service");

    private String app;
    private String base;

    @BeforeEach
    void createApp() {
        app = AppsApiTest.uniqueName("track");
        base = "/api/v1/namespaces/workspace/applications/" + app;
        as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", app));
    }

    @Test
    void aPushWalksThroughEveryStateAndShowsItsEventsInOrder() {
        JsonNode stored = as("alice").upload(base + "/store", "file", () -> new ByteArrayInputStream(
                Archives.tarGz(Map.of("index.html", "hi")))).body();
        String uploadBlob = stored.path("blobuid").asString();
        Event<EventData> uploaded = log.decode(log.awaitRecord(record -> uploadBlob.equals(record.key()), TIMEOUT));
        assertThat(state(uploaded.correlationId())).isEqualTo("uploaded");

        String pushId = stage();
        assertThat(state(pushId)).as("accepted at once, into the app's queue").isIn("queued", "staging");
        Event<StageRequested> requested = requested(pushId);
        awaitState(pushId, "staging");
        Event<StageSucceeded> staged = log.publish(requested.next(STAGING, succeeded(requested)));
        awaitState(pushId, "staged");
        Event<AppDeployed> deployed = log.publish(staged.next(DEPLOY, new AppDeployed(staged.data().blobUid(),
                staged.data().app(), pushId, staged.data().image(), 3, 1, 1, staged.data().settings())));
        awaitState(pushId, "deployed");
        log.publish(deployed.next(ROUTING, new RoutesReady(deployed.data().blobUid(), deployed.data().app(),
                List.of("http://" + app + ".apps.test"))));

        JsonNode push = awaitState(pushId, "online");
        assertThat(push.path("image").asString()).isEqualTo(staged.data().image());
        assertThat(push.path("releaseRevision").asInt()).isEqualTo(3);
        assertThat(push.path("urls").path(0).asString()).isEqualTo("http://" + app + ".apps.test");
        assertThat(push.path("failure").isNull()).isTrue();
        // metrics: on the API's port for admins only (the actuator's own port, open to scraping, is not used here)
        assertThat(Scrape.of(anonymous()).status()).isEqualTo(401);
        assertThat(Scrape.of(as("alice")).status()).isEqualTo(403);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Scrape scrape = Scrape.of(as("admin"));
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.sum("slipway_push_outcomes_total", Map.of("outcome", "online", "reason", "NONE")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.text()).doesNotContain(pushId).doesNotContain(app);
            // the lag of the Streams clients' consumers (projections, push queue)
            assertThat(scrape.values("kafka_consumer_fetch_manager_records_lag_max", Map.of())).isNotEmpty();
        });
        assertThat(push.path("events").values()).extracting(event -> event.path("type").asString()).containsExactly(
                EventType.PUSH_QUEUED.type(), EventType.STAGE_REQUESTED.type(), EventType.STAGE_SUCCEEDED.type(),
                EventType.APP_DEPLOYED.type(), EventType.ROUTES_READY.type());
        assertThat(push.path("events").path(3).path("data").path("releaseRevision").asInt()).isEqualTo(3);
        assertThat(push.path("events").path(0).path("correlationid").asString()).isEqualTo(pushId);
        // Epinio's endpoints answer from the same state
        assertThat(as("alice").get(base + "/deployments/" + pushId).body().path("status").asString())
                .isEqualTo("succeeded");
        assertOneTraceOfCauses(pushId, push);
    }

    /**
     * One push, one trace: every event of it is in the trace {@code GET /api/v1/pushes/{id}} names, a child of its
     * cause's span (the queue's stage request of the push's {@code push.queued}).
     */
    private void assertOneTraceOfCauses(String pushId, JsonNode push) {
        List<Event<EventData>> events = push.path("events").values().stream()
                .map(event -> EventCodec.fromStructuredJson(event.toString().getBytes(StandardCharsets.UTF_8)))
                .toList();
        String traceId = push.path("traceId").asString();
        assertThat(traceId).matches("[0-9a-f]{32}");
        assertThat(events).isNotEmpty().allSatisfy(event -> assertThat(event.trace().traceId()).isEqualTo(traceId));
        for (Event<EventData> event : events) {
            String causeId = event.is(EventType.STAGE_REQUESTED) ? events.get(0).id() : event.causationId();
            if (!causeId.equals(event.id())) {
                Event<EventData> cause = events.stream().filter(candidate -> candidate.id().equals(causeId))
                        .findFirst().orElseThrow();
                assertThat(event.trace().parentId()).as(event.type().type()).isEqualTo(cause.trace().spanId());
            }
        }
    }

    @Test
    void aPushContinuesTheClientsTraceAndAnswersItsTraceparent() {
        String clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";
        ApiClient tracing = as("alice").withHeader("traceparent", "00-" + clientTrace + "-" + clientSpan + "-01");
        String blobUid = as("alice").upload(base + "/store", "file", () -> new ByteArrayInputStream(
                Archives.tarGz(Map.of("index.html", "hi")))).body().path("blobuid").asString();

        ApiClient.Reply accepted = tracing.post(base + "/stage", Map.of("blobuid", blobUid));
        String pushId = accepted.body().path("stage").path("id").asString();
        Event<StageRequested> requested = requested(pushId);

        assertThat(accepted.header("traceparent")).hasValueSatisfying(traceparent -> assertThat(traceparent)
                .startsWith("00-" + clientTrace + "-").doesNotContain(clientSpan));
        assertThat(requested.trace().traceId()).isEqualTo(clientTrace);
        JsonNode push = as("alice").get("/api/v1/pushes/" + pushId).body();
        assertThat(push.path("traceId").asString()).isEqualTo(clientTrace);
        assertThat(push.path("events").path(0).path("parentspanid").asString()).isEqualTo(clientSpan);
        assertThat(push.path("events").path(0).path("traceparent").asString())
                .isEqualTo(accepted.header("traceparent").orElseThrow());
        assertOneTraceOfCauses(pushId, push);
    }

    @Test
    void aMalformedTraceparentFromAClientStartsAFreshTrace() {
        String hostileTrace = "4BF92F3577B34DA6A3CE929D0E0E4736";
        ApiClient hostile = as("alice").withHeader("traceparent", "00-" + hostileTrace + "-00F067AA0BA902B7-01")
                .withHeader("tracestate", "x=" + "y".repeat(600));
        String blobUid = as("alice").upload(base + "/store", "file", () -> new ByteArrayInputStream(
                Archives.tarGz(Map.of("index.html", "hi")))).body().path("blobuid").asString();

        ApiClient.Reply accepted = hostile.post(base + "/stage", Map.of("blobuid", blobUid));
        String pushId = accepted.body().path("stage").path("id").asString();
        Event<StageRequested> requested = requested(pushId);

        assertThat(accepted.status()).isEqualTo(200);
        assertThat(requested.trace().traceId()).matches("[0-9a-f]{32}").isNotEqualToIgnoringCase(hostileTrace);
        assertThat(requested.trace().traceState()).isNull();
        assertThat(accepted.header("traceparent")).contains(as("alice").get("/api/v1/pushes/" + pushId).body()
                .path("events").path(0).path("traceparent").asString());
        JsonNode push = as("alice").get("/api/v1/pushes/" + pushId).body();
        assertThat(push.path("traceId").asString()).isEqualTo(requested.trace().traceId());
        assertThat(push.path("events").path(0).has("parentspanid")).as("a root span").isFalse();
    }

    @Test
    void theEventStreamReplaysWhatHappenedThenFollowsEachEventOnceInOrderAndEndsWithThePush() throws Exception {
        String pushId = stage();
        Event<StageRequested> requested = requested(pushId);
        Event<StageStarted> started = log.publish(requested.next(STAGING, new StageStarted(requested.data().blobUid(),
                requested.data().app(), "jib", null)));
        await().atMost(TIMEOUT).until(() -> as("alice").get("/api/v1/pushes/" + pushId).body().path("events")
                .size() == 3);
        String queued = log.awaitEvent(pushId, EventType.PUSH_QUEUED, TIMEOUT).id();

        // followed with a short-lived token, as a browser's EventSource would
        String token = as("alice").get("/api/v1/authtoken").body().path("token").asString();
        CompletableFuture<List<Event<EventData>>> streamed = CompletableFuture.supplyAsync(() ->
                events(anonymous().lines("/api/v1/pushes/" + pushId + "/events?authtoken=" + token)));

        Event<StageSucceeded> staged = log.publish(started.next(STAGING, succeeded(requested)));
        Event<AppDeployed> deployed = log.publish(staged.next(DEPLOY, new AppDeployed(requested.data().blobUid(),
                requested.data().app(), pushId, staged.data().image(), 1, 1, 1, AppSettings.defaults())));
        Event<RoutesReady> ready = log.publish(deployed.next(ROUTING, new RoutesReady(requested.data().blobUid(),
                requested.data().app(), List.of("http://" + app + ".apps.test"))));

        List<Event<EventData>> events = streamed.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(events).extracting(Event::id).containsExactly(queued, requested.id(), started.id(), staged.id(),
                deployed.id(), ready.id());
        assertThat(events.get(5).data()).isEqualTo(ready.data());

        // a finished push streams its history and ends at once
        assertThat(events(as("alice").lines("/api/v1/pushes/" + pushId + "/events"))).hasSize(6);
    }

    @Test
    void aFailedStageShowsItsReasonAndReplayIssuesItsInputAgainWithReplayOf() {
        String pushId = stage();
        Event<StageRequested> requested = requested(pushId);
        log.publish(requested.next(STAGING, new StageFailed(requested.data().blobUid(), requested.data().app(),
                StageStep.BUILD, new Failure(ReasonCodes.REGISTRY_UNAVAILABLE, "registry down", true),
                requested.data())));

        JsonNode failed = awaitState(pushId, "failed");
        assertThat(failed.path("failure").path("stage").asString()).isEqualTo("staging");
        assertThat(failed.path("failure").path("reason").asString()).isEqualTo(ReasonCodes.REGISTRY_UNAVAILABLE);
        assertThat(failed.path("failure").path("retryable").asBoolean()).isTrue();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Scrape.of(as("admin")).sum(
                "slipway_push_outcomes_total", Map.of("outcome", "failed", "reason", ReasonCodes.REGISTRY_UNAVAILABLE)))
                .isGreaterThanOrEqualTo(1));

        ApiClient.Reply replay = as("alice").post("/api/v1/pushes/" + pushId + "/replay",
                Map.of("builderImage", "example/builder:9"));

        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.body().path("stage").asString()).isEqualTo("staging");
        String replayId = replay.body().path("id").asString();
        Event<EventData> replayed = log.decode(log.awaitRecord(record -> replayId.equals(EventLog.header(record,
                "ce_id")), TIMEOUT));
        assertThat(replayed.replayOf()).isEqualTo(requested.id());
        assertThat(replayed.correlationId()).isEqualTo(pushId);
        assertThat(replayed.key()).isEqualTo(requested.key());
        assertThat(((StageRequested) replayed.data()).builderImage()).isEqualTo("example/builder:9");
        // the same push, the same trace; the replay a new span beside the request it issues again
        assertThat(replayed.trace().traceId()).isEqualTo(requested.trace().traceId());
        assertThat(replayed.trace().spanId()).isNotEqualTo(requested.trace().spanId());
        assertThat(replayed.trace().parentId()).isEqualTo(requested.trace().parentId());
        assertThat(replay.header("traceparent")).contains(replayed.trace().traceparent());
        assertThat(awaitState(pushId, "staging").path("failure").isNull()).isTrue();

        // while it runs again there is nothing to replay
        assertThat(as("alice").post("/api/v1/pushes/" + pushId + "/replay", Map.of()).status()).isEqualTo(409);
    }

    @Test
    void aSucceededPushIsReplayedOnlyWhenAStageIsNamed() {
        String pushId = stage();
        Event<StageRequested> requested = requested(pushId);
        Event<StageSucceeded> staged = log.publish(requested.next(STAGING, succeeded(requested)));
        Event<AppDeployed> deployed = log.publish(staged.next(DEPLOY, new AppDeployed(requested.data().blobUid(),
                requested.data().app(), pushId, staged.data().image(), 1, 1, 1, AppSettings.defaults())));
        log.publish(deployed.next(ROUTING, new RoutesReady(requested.data().blobUid(), requested.data().app(),
                List.of())));
        awaitState(pushId, "online");

        ApiClient.Reply refused = as("alice").post("/api/v1/pushes/" + pushId + "/replay", Map.of());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).contains("name a stage");
        assertThat(as("alice").post("/api/v1/pushes/" + pushId + "/replay", Map.of("stage", "build")).status())
                .isEqualTo(422);

        ApiClient.Reply routing = as("alice").post("/api/v1/pushes/" + pushId + "/replay", Map.of("stage", "routing"));
        assertThat(routing.status()).isEqualTo(202);
        assertThat(routing.body().path("type").asString()).isEqualTo(EventType.APP_DEPLOYED.type());
        assertThat(routing.body().path("replayOf").asString()).isEqualTo(deployed.id());
        awaitState(pushId, "deployed");
    }

    @Test
    void anOlderPushsReleaseOrRoutesAreNotReplayedOverANewerOne() {
        String older = online(stage());
        String newer = online(stage());

        ApiClient.Reply refused = as("alice").post("/api/v1/pushes/" + older + "/replay", Map.of("stage", "routing"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).contains("push " + newer + " released app workspace/" + app, "rollback");
        assertThat(as("alice").post("/api/v1/pushes/" + newer + "/replay", Map.of("stage", "routing")).status())
                .isEqualTo(202);
    }

    /** Plays staging, deploy and routing for the push until it is online; answers its id. */
    private String online(String pushId) {
        Event<StageRequested> requested = requested(pushId);
        Event<StageSucceeded> staged = log.publish(requested.next(STAGING, succeeded(requested)));
        Event<AppDeployed> deployed = log.publish(staged.next(DEPLOY, new AppDeployed(requested.data().blobUid(),
                requested.data().app(), pushId, staged.data().image(), 1, 1, 1, AppSettings.defaults())));
        log.publish(deployed.next(ROUTING, new RoutesReady(requested.data().blobUid(), requested.data().app(),
                List.of())));
        awaitState(pushId, "online");
        return pushId;
    }

    @Test
    void theAuditTrailFiltersByAppTypeAndTimeWithinTheCallersNamespaces() {
        String pushId = stage();
        Event<StageRequested> requested = requested(pushId);
        log.publish(requested.next(STAGING, succeeded(requested)));
        await().atMost(TIMEOUT).until(() -> audit("alice", "?app=" + app + "&type=dev.slipway.stage.*").size() == 2);

        List<JsonNode> stageEvents = audit("alice", "?namespace=workspace&app=" + app + "&type=dev.slipway.stage.*");
        assertThat(stageEvents).extracting(event -> event.path("type").asString())
                .containsExactly(EventType.STAGE_REQUESTED.type(), EventType.STAGE_SUCCEEDED.type());
        assertThat(audit("alice", "?app=" + app + "&type=*succeeded*")).hasSize(1);
        assertThat(audit("alice", "?app=" + app + "&since=2999-01-01T00:00:00Z")).isEmpty();
        assertThat(audit("alice", "?app=" + app)).extracting(event -> event.path("type").asString())
                .contains(EventType.BLOB_UPLOADED.type());
        // bob sees nothing of namespace workspace, and may not ask for it
        assertThat(audit("bob", "?app=" + app)).isEmpty();
        assertThat(as("bob").get("/api/v1/events?namespace=workspace").status()).isEqualTo(403);
        assertThat(as("bob").get("/api/v1/pushes/" + pushId).status()).isEqualTo(404);
        assertThat(as("alice").get("/api/v1/events?type=dev.slipway.nope").status()).isEqualTo(400);
        assertThat(as("alice").get("/api/v1/events?since=yesterday").status()).isEqualTo(400);
    }

    /** Globs of many stars once took a regular expression more than 20 s of both cores. */
    @Test
    void typeGlobsOfManyStarsAreAnsweredAtOnceAndOverlongOnesAre400() {
        long started = System.nanoTime();
        ApiClient.Reply tenStars = as("alice").get("/api/v1/events?type=" + "*".repeat(10) + "x");
        ApiClient.Reply manyStars = as("alice").get("/api/v1/events?type=" + "*".repeat(190) + "v1&limit=1");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(tenStars.status()).isEqualTo(400);
        assertThat(tenStars.error()).contains("names no event type");
        assertThat(manyStars.status()).as(manyStars.raw().body()).isEqualTo(200);
        assertThat(took).isLessThan(Duration.ofSeconds(2));

        ApiClient.Reply overlong = as("alice").get("/api/v1/events?type=" + "*".repeat(201));
        assertThat(overlong.status()).isEqualTo(400);
        assertThat(overlong.error()).contains("at most 200 characters");
    }

    private String stage() {
        String blobUid = as("alice").upload(base + "/store", "file", () -> new ByteArrayInputStream(
                Archives.tarGz(Map.of("index.html", "hi")))).body().path("blobuid").asString();
        return as("alice").post(base + "/stage", Map.of("blobuid", blobUid)).body().path("stage").path("id")
                .asString();
    }

    @SuppressWarnings("unchecked")
    private Event<StageRequested> requested(String pushId) {
        return (Event<StageRequested>) (Event<?>) log.awaitEvent(pushId, EventType.STAGE_REQUESTED, TIMEOUT);
    }

    private StageSucceeded succeeded(Event<StageRequested> requested) {
        return new StageSucceeded(requested.data().blobUid(), requested.data().app(), requested.id(),
                "127.0.0.1:5000/workspace-" + app + ":" + requested.id(), "sha256:" + "cd".repeat(32), "static",
                Map.of(), requested.data().settings());
    }

    private String state(String pushId) {
        ApiClient.Reply push = as("alice").get("/api/v1/pushes/" + pushId);
        assertThat(push.status()).as(push.raw().body()).isEqualTo(200);
        return push.body().path("state").asString();
    }

    private JsonNode awaitState(String pushId, String state) {
        return await().atMost(TIMEOUT).until(() -> as("alice").get("/api/v1/pushes/" + pushId).body(),
                push -> state.equals(push.path("state").asString()));
    }

    private List<JsonNode> audit(String user, String query) {
        return as(user).get("/api/v1/events" + query).body().values().stream().toList();
    }

    /** The events of a Server-Sent Events stream, read until the server ends it. */
    private static List<Event<EventData>> events(Stream<String> lines) {
        List<Event<EventData>> events = new ArrayList<>();
        lines.filter(line -> line.startsWith("data:")).forEach(line -> events.add(EventCodec.fromStructuredJson(
                line.substring("data:".length()).getBytes(StandardCharsets.UTF_8))));
        return events;
    }
}
