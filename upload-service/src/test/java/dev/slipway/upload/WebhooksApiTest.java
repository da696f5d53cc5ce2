package dev.slipway.upload;

import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.metrics.Scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.ArchiveFormat;
import dev.slipway.events.BlobUploaded;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStarted;
import dev.slipway.events.StageSucceeded;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Webhook subscriptions, delivered from the real event log to a real HTTP target. */
@ExtendWith(OutputCaptureExtension.class)
class WebhooksApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final URI SOURCE = URI.create("/slipway/test");
    /** whsec_ and 32 bytes in base64, as Standard Webhooks secrets are. */
    private static final String SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private final List<Target> targets = new ArrayList<>();
    private final List<String> subscriptions = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        subscriptions.forEach(id -> as("admin").delete("/api/v1/subscriptions/" + id));
        subscriptions.clear();
        targets.forEach(Target::close);
        targets.clear();
    }

    @Test
    void aFailingTargetGetsEveryEventOfAPushInOrderOnceItRecovers(CapturedOutput output) {
        Target target = target(500, 500);
        String app = AppsApiTest.uniqueName("hook");
        String id = subscribe("alice", Map.of("url", target.url(), "namespace", "workspace", "app", app,
                "secret", SECRET));

        Push push = push(app);
        List<String> ids = List.of(push.requested.id(), push.started.id(), push.succeeded.id());

        await().atMost(TIMEOUT).until(() -> target.idsFor(id).contains(push.succeeded.id()));
        assertThat(target.idsFor(id)).containsExactly(ids.get(0), ids.get(0), ids.get(0), ids.get(1), ids.get(2));
        for (Target.Received received : target.received) {
            assertThat(received.contentType()).isEqualTo("application/cloudevents+json");
            assertThat(received.subscription()).isEqualTo(id);
            assertThat(received.webhookId()).isEqualTo(received.eventId());
            assertThat(StandardWebhooks.verifies(SECRET, received.webhookId(), received.timestamp(),
                    received.signature(), received.body(), Instant.now())).as("signature verifies").isTrue();
            // a replay: the same signed request an hour later, or with its timestamp moved, is refused
            assertThat(StandardWebhooks.verifies(SECRET, received.webhookId(), received.timestamp(),
                    received.signature(), received.body(), Instant.now().plus(Duration.ofHours(1)))).isFalse();
            assertThat(StandardWebhooks.verifies(SECRET, received.webhookId(),
                    Long.toString(Instant.now().getEpochSecond() + 1), received.signature(), received.body(),
                    Instant.now())).isFalse();
            assertThat(received.oldSignature()).isNull();
        }
        // each request joins the push's trace as the API shows it, as a child of the event delivered
        String traceId = await().atMost(TIMEOUT).until(
                () -> as("alice").get("/api/v1/pushes/" + push.requested.id()).body().path("traceId").asString(""),
                shown -> !shown.isEmpty());
        assertThat(traceId).isEqualTo(push.requested.trace().traceId());
        Map<String, String> spans = Map.of(push.requested.id(), push.requested.trace().spanId(),
                push.started.id(), push.started.trace().spanId(), push.succeeded.id(), push.succeeded.trace().spanId());
        assertThat(target.received).allSatisfy(received -> assertThat(received.traceparent())
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")
                .startsWith("00-" + traceId + "-" + spans.get(received.eventId()) + "-"));
        // the worker's log line about a failed attempt names the push, trace and span of the event in hand
        assertThat(output.getAll().lines().filter(line -> line.contains("attempt 1 to deliver " + push.requested.id())))
                .isNotEmpty().allSatisfy(line -> assertThat(line).contains("[push=" + push.requested.id() + " trace="
                        + traceId + " span=" + push.requested.trace().spanId() + " dev.slipway.stage.requested.v1]"));
        JsonNode first = JsonMapper.shared().readTree(target.received.get(0).body());
        assertThat(first.path("type").asString()).isEqualTo("dev.slipway.stage.requested.v1");
        assertThat(first.path("specversion").asString()).isEqualTo("1.0");
        assertThat(first.path("data").path("app").path("name").asString()).isEqualTo(app);

        JsonNode deliveries = await().atMost(TIMEOUT).until(
                () -> as("alice").get("/api/v1/subscriptions/" + id + "/deliveries").body(),
                body -> body.size() == 3 && body.valueStream().allMatch(entry -> entry.path("delivered").asBoolean()));
        assertThat(deliveries.valueStream().map(entry -> entry.path("eventId").asString())).containsExactlyElementsOf(ids);
        JsonNode retried = deliveries.path(0);
        assertThat(retried.path("attempts").asInt()).isEqualTo(3);
        assertThat(retried.path("statusCodes").valueStream().map(JsonNode::asInt)).containsExactly(500, 500, 200);
        assertThat(retried.path("pushId").asString()).isEqualTo(push.requested.id());
        assertThat(retried.path("type").asString()).isEqualTo("dev.slipway.stage.requested.v1");
        assertThat(deliveries.path(1).path("attempts").asInt()).isEqualTo(1);
        assertThat(deliveries.path(1).path("statusCodes").valueStream().map(JsonNode::asInt)).containsExactly(200);
        // each attempt counted by result and status class; no subscription, URL or push in the tags
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Scrape scrape = Scrape.of(as("admin"));
            assertThat(scrape.sum("slipway_webhook_deliveries_total", Map.of("result", "failed", "status", "5xx")))
                    .isGreaterThanOrEqualTo(2);
            assertThat(scrape.sum("slipway_webhook_deliveries_total", Map.of("result", "delivered", "status",
                    "2xx"))).isGreaterThanOrEqualTo(3);
            assertThat(scrape.text()).doesNotContain(id).doesNotContain(target.url()).doesNotContain(app);
        });
    }

    @Test
    void typeGlobsAndTheAppSelectWhichEventsAreDelivered() {
        Target target = target();
        String app = AppsApiTest.uniqueName("hook");
        String stageEvents = subscribe("alice", Map.of("url", target.url(), "namespace", "workspace", "app", app,
                "types", List.of("dev.slipway.stage.*"), "secret", SECRET));
        String succeededOnly = subscribe("alice", Map.of("url", target.url(), "namespace", "workspace",
                "types", List.of("dev.slipway.stage.succeeded.v1"), "secret", SECRET));

        // one blob uid, so one partition: the log's order is the order of these lines
        String blob = UUID.randomUUID().toString();
        AppRef mine = new AppRef("workspace", app);
        log.publish(Event.start(SOURCE, new BlobUploaded(blob, mine, "alice", 10, "cd".repeat(32),
                ArchiveFormat.ZIP)));
        log.publish(Event.start(SOURCE, new StageRequested(blob, new AppRef("workspace", app + "-other"), null,
                AppSettings.defaults(), null)));
        Event<StageRequested> wanted = log.publish(Event.start(SOURCE, new StageRequested(blob, mine, null,
                AppSettings.defaults(), null)));
        log.publish(Event.start(SOURCE, new StageStarted(blob, new AppRef("other", app), "jib", null)));
        log.publish(wanted.next(SOURCE, new DeployRequested(blob, mine, DeployAction.DEPLOY, null, "nginx:1.27", null,
                AppSettings.defaults())));
        Event<StageSucceeded> last = log.publish(wanted.next(SOURCE, succeeded(blob, mine, wanted.id())));

        await().atMost(TIMEOUT).until(() -> target.idsFor(stageEvents).contains(last.id())
                && target.idsFor(succeededOnly).contains(last.id()));
        assertThat(target.idsFor(stageEvents)).containsExactly(wanted.id(), last.id());
        assertThat(target.idsFor(succeededOnly)).containsExactly(last.id());
    }

    @Test
    void fromEarliestReceivesPastEventsAndFromNowOnlyNewOnes() {
        Target target = target();
        String app = AppsApiTest.uniqueName("hook");
        String blob = UUID.randomUUID().toString();
        AppRef ref = new AppRef("workspace", app);
        Event<StageRequested> requested = log.publish(Event.start(SOURCE, new StageRequested(blob, ref, null,
                AppSettings.defaults(), null)));
        Event<StageStarted> started = log.publish(requested.next(SOURCE, new StageStarted(blob, ref, "jib", null)));

        String earliest = subscribe("alice", Map.of("url", target.url(), "namespace", "workspace", "app", app,
                "from", "earliest", "secret", SECRET));
        String now = subscribe("alice", Map.of("url", target.url(), "namespace", "workspace", "app", app,
                "from", "now", "secret", SECRET));
        Event<StageSucceeded> succeeded = log.publish(started.next(SOURCE, succeeded(blob, ref, requested.id())));

        await().atMost(TIMEOUT).until(() -> target.idsFor(earliest).contains(succeeded.id())
                && target.idsFor(now).contains(succeeded.id()));
        assertThat(target.idsFor(earliest)).containsExactly(requested.id(), started.id(), succeeded.id());
        assertThat(target.idsFor(now)).containsExactly(succeeded.id());
    }

    @Test
    void invalidSubscriptionsAre422AndOthersNamespacesAreOutOfReach() {
        Map<String, Object> valid = Map.of("url", "http://hooks.example.test/slipway", "namespace", "workspace",
                "secret", SECRET);
        assertThat(refusal("alice", with(valid, "url", "ftp://hooks.example.test/x"))).contains("url");
        assertThat(refusal("alice", with(valid, "url", "/relative/path"))).contains("url");
        assertThat(refusal("alice", with(valid, "types", List.of("dev.slipway.nothing.*")))).contains("names no event type");
        assertThat(refusal("alice", with(valid, "types", List.of("*".repeat(1000) + "x")))).contains("at most 200");
        assertThat(refusal("alice", with(valid, "from", "yesterday"))).contains("from");
        assertThat(refusal("alice", with(valid, "secret", "a-webhook-secret-of-enough-length"))).contains("whsec_");
        assertThat(refusal("alice", with(valid, "secret", "whsec_c2hvcnQ="))).contains("5 bytes");
        assertThat(refusal("alice", with(valid, "secret", "whsec_not base64!"))).contains("base64");
        assertThat(refusal("alice", without(valid, "namespace"))).contains("namespace");

        ApiClient.Reply foreign = as("bob").post("/api/v1/subscriptions", valid);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.error()).contains("namespace workspace");

        ApiClient.Reply created = as("alice").post("/api/v1/subscriptions", with(valid, "types",
                List.of("dev.slipway.stage.*", "dev.slipway.app.deployed.v1")));
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().path("id").asString();
        subscriptions.add(id);
        assertThat(created.raw().body()).doesNotContain(SECRET).doesNotContain("ecret");
        assertThat(created.body().path("from").asString()).isEqualTo("now");
        assertThat(created.body().path("types").valueStream().map(JsonNode::asString))
                .containsExactly("dev.slipway.stage.*", "dev.slipway.app.deployed.v1");

        String everywhere = subscribe("admin", without(valid, "namespace"));
        assertThat(as("admin").get("/api/v1/subscriptions/" + everywhere).body().path("types")
                .valueStream().map(JsonNode::asString)).containsExactly("*");

        assertThat(as("bob").get("/api/v1/subscriptions/" + id).status()).isEqualTo(404);
        assertThat(as("bob").delete("/api/v1/subscriptions/" + id).status()).isEqualTo(404);
        assertThat(ids(as("bob").get("/api/v1/subscriptions").body())).doesNotContain(id, everywhere);
        assertThat(ids(as("alice").get("/api/v1/subscriptions").body())).contains(id).doesNotContain(everywhere);
        assertThat(as("alice").get("/api/v1/subscriptions/" + everywhere).status()).isEqualTo(404);
        assertThat(ids(as("admin").get("/api/v1/subscriptions").body())).contains(id, everywhere);
        assertThat(as("alice").get("/api/v1/subscriptions/" + id).body().path("url").asString())
                .isEqualTo("http://hooks.example.test/…");

        assertThat(as("alice").delete("/api/v1/subscriptions/" + id).status()).isEqualTo(204);
        assertThat(as("alice").get("/api/v1/subscriptions/" + id).status()).isEqualTo(404);
        assertThat(as("alice").delete("/api/v1/subscriptions/" + id).status()).isEqualTo(404);
        assertThat(as("alice").get("/api/v1/subscriptions/" + id + "/deliveries").status()).isEqualTo(404);
    }

    private record Push(Event<StageRequested> requested, Event<StageStarted> started,
                        Event<StageSucceeded> succeeded) {
    }

    private Push push(String app) {
        String blob = UUID.randomUUID().toString();
        AppRef ref = new AppRef("workspace", app);
        Event<StageRequested> requested = log.publish(Event.start(SOURCE, new StageRequested(blob, ref, null,
                AppSettings.defaults(), null)));
        Event<StageStarted> started = log.publish(requested.next(SOURCE, new StageStarted(blob, ref, "jib", null)));
        Event<StageSucceeded> succeeded = log.publish(started.next(SOURCE, succeeded(blob, ref, requested.id())));
        return new Push(requested, started, succeeded);
    }

    private static StageSucceeded succeeded(String blob, AppRef app, String stageId) {
        return new StageSucceeded(blob, app, stageId, "127.0.0.1:5000/" + app.namespace() + "-" + app.name() + ":"
                + stageId, "sha256:" + "ab".repeat(32), "static", Map.of(), AppSettings.defaults());
    }

    private String subscribe(String user, Map<String, Object> body) {
        ApiClient.Reply reply = as(user).post("/api/v1/subscriptions", body);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
        String id = reply.body().path("id").asString();
        subscriptions.add(id);
        return id;
    }

    private String refusal(String user, Map<String, Object> body) {
        ApiClient.Reply reply = as(user).post("/api/v1/subscriptions", body);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(422);
        return reply.error();
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(key, value);
        return changed;
    }

    private static Map<String, Object> without(Map<String, Object> body, String key) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.remove(key);
        return changed;
    }

    private static List<String> ids(JsonNode subscriptions) {
        return subscriptions.valueStream().map(subscription -> subscription.path("id").asString()).toList();
    }

    private Target target(Integer... firstAnswers) {
        Target target = new Target(List.of(firstAnswers));
        targets.add(target);
        return target;
    }

    /** A webhook receiver: answers the scripted status codes first, then 200, and keeps every request. */
    private static final class Target implements AutoCloseable {

        record Received(String subscription, String contentType, String webhookId, String timestamp,
                        String signature, String oldSignature, String host, String path, byte[] body, String eventId,
                        String traceparent) {
        }

        final List<Received> received = new CopyOnWriteArrayList<>();
        private final Queue<Integer> script;
        private final HttpServer server;

        Target(List<Integer> firstAnswers) {
            this(firstAnswers, "127.0.0.1", 0);
        }

        Target(List<Integer> firstAnswers, String address, int port) {
            script = new ConcurrentLinkedQueue<>(firstAnswers);
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var headers = exchange.getRequestHeaders();
                received.add(new Received(headers.getFirst("X-Slipway-Subscription"), headers.getFirst("Content-Type"),
                        headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                        headers.getFirst("webhook-signature"), headers.getFirst("X-Slipway-Signature"),
                        headers.getFirst("Host"), exchange.getRequestURI().toString(), body,
                        JsonMapper.shared().readTree(body).path("id").asString(), headers.getFirst("traceparent")));
                Integer status = script.poll();
                exchange.sendResponseHeaders(status == null ? 200 : status, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + port() + "/hook";
        }

        int port() {
            return server.getAddress().getPort();
        }

        /** The event ids POSTed for one subscription, retries included, in the order they came. */
        List<String> idsFor(String subscription) {
            return received.stream().filter(request -> subscription.equals(request.subscription()))
                    .map(Received::eventId).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
