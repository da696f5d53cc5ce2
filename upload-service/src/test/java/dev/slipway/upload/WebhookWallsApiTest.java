package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.StageRequested;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kafka.AllTopics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * What a subscriber cannot make webhooks do: reach addresses that are not global unicast (as
 * literals or through names, also names that answer differently the second time), hold a delivery
 * with a trickled or endless answer, subscribe without end, or see its URL's token logged or stored.
 * The application allows 127.0.0.1/32 only (its receivers), with a 2 s deadline per attempt.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebhookWallsApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final URI SOURCE = URI.create("/slipway/test");
    private static final String SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @Autowired
    ScriptedResolver resolver;

    private final List<String> subscriptions = new ArrayList<>();
    private final List<Receiver> receivers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        subscriptions.forEach(id -> as("admin").delete("/api/v1/subscriptions/" + id));
        subscriptions.clear();
        receivers.forEach(Receiver::close);
        receivers.clear();
    }

    /** Each class of address that is not global unicast, and a few that are not what they seem. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("10.1.2.3", "private"), Map.entry("172.16.0.1", "private"), Map.entry("192.168.1.1", "private"),
            Map.entry("100.64.0.1", "carrier-grade NAT"), Map.entry("127.0.0.2", "loopback"),
            Map.entry("169.254.169.254", "link-local"), Map.entry("0.0.0.0", "unspecified"),
            Map.entry("224.0.0.1", "multicast"), Map.entry("255.255.255.255", "broadcast"),
            Map.entry("192.0.2.10", "documentation"), Map.entry("198.51.100.1", "documentation"),
            Map.entry("203.0.113.9", "documentation"), Map.entry("198.18.0.1", "benchmarking"),
            Map.entry("100.100.100.200", "carrier-grade NAT"), Map.entry("168.63.129.16", "metadata"),
            Map.entry("::1", "loopback"), Map.entry("::", "unspecified"), Map.entry("fe80::1", "link-local"),
            Map.entry("fc00::1", "unique local"), Map.entry("fd00:ec2::254", "unique local"),
            Map.entry("ff02::1", "multicast"), Map.entry("2001:db8::1", "documentation"),
            Map.entry("::ffff:10.0.0.1", "private"), Map.entry("::ffff:127.0.0.2", "loopback"),
            Map.entry("::10.0.0.1", "IPv6 form"), Map.entry("64:ff9b::a9fe:a9fe", "link-local"),
            Map.entry("64:ff9b::7f00:2", "loopback"), Map.entry("2002:a00:1::1", "private"),
            Map.entry("2001::1", "Teredo"));

    @Test
    void everyAddressThatIsNotGlobalUnicastIsRefusedAsALiteralAndThroughAName() {
        for (Map.Entry<String, String> refused : REFUSED.entrySet()) {
            String literal = refused.getKey().contains(":") ? "[" + refused.getKey() + "]" : refused.getKey();
            assertThat(refusal("http://" + literal + ":8080/hook")).as(literal)
                    .contains("webhook target refused", refused.getValue());
            String name = "n" + Integer.toHexString(refused.getKey().hashCode()) + ".refused.test";
            resolver.script(name, List.of(List.of(refused.getKey())));
            assertThat(refusal("https://" + name + "/hook")).as(name).contains(name, refused.getValue());
        }
        // one bad address among good ones refuses the name; other spellings of an address are the address
        resolver.script("mixed.refused.test", List.of(List.of("127.0.0.1", "10.0.0.7")));
        assertThat(refusal("http://mixed.refused.test/hook")).contains("10.0.0.7", "private");
        // a decimal spelling of 10.0.0.1 is 10.0.0.1 to the HTTP client, and refused as such; a short one
        // is no host to java.net.URI (422 all the same)
        assertThat(refusal("http://167772161/hook")).contains("10.0.0.1", "private");
        assertThat(refusal("http://10.1/hook")).isNotBlank();
        assertThat(refusal("http://a.test\\@10.0.0.1/hook")).contains("url must be");
        assertThat(refusal("http://metadata.google.internal/computeMetadata/v1/")).contains("metadata");
        // what the operator allowed (127.0.0.1/32 here) is taken, as a literal and as a name
        resolver.script("allowed.test", List.of(List.of("127.0.0.1")));
        assertThat(subscribe(Map.of("url", "http://127.0.0.1:9/hook", "namespace", "workspace", "app", "nothing-here",
                "secret", SECRET)).status()).isEqualTo(201);
        assertThat(subscribe(Map.of("url", "http://allowed.test:9/hook", "namespace", "workspace", "app",
                "nothing-here", "secret", SECRET)).status()).isEqualTo(201);
    }

    /**
     * A name that answers the receiver when checked and an internal address afterwards: each attempt
     * resolves once and connects to what it checked, so the internal server never hears a thing.
     */
    @Test
    void aNameThatRebindsAfterItsCheckOnlyEverReachesTheAddressChecked() {
        Receiver receiver = receiver("127.0.0.1", 0, exchange -> answer(exchange, 204));
        Receiver internal = receiver("127.0.0.2", receiver.port(), exchange -> answer(exchange, 204));
        // lookups: the subscription's check, the first event's attempt, then always the internal address
        resolver.script("rebind.test", List.of(List.of("127.0.0.1"), List.of("127.0.0.1"), List.of("127.0.0.2")));
        String app = AppsApiTest.uniqueName("rebind");
        String id = created(Map.of("url", "http://rebind.test:" + receiver.port() + "/hook", "namespace", "workspace",
                "app", app, "secret", SECRET));

        Event<StageRequested> first = publish(app);
        await().atMost(TIMEOUT).until(() -> receiver.bodies().stream().anyMatch(body -> body.contains(first.id())));
        assertThat(receiver.hosts()).containsOnly("rebind.test:" + receiver.port());

        Event<StageRequested> second = publish(app);
        JsonNode refused = await().atMost(TIMEOUT).until(() -> delivery(id, second.id()),
                delivery -> delivery != null && delivery.path("attempts").asInt() >= 2);
        assertThat(refused.path("delivered").asBoolean()).isFalse();
        assertThat(refused.path("lastError").asString()).contains("not sent", "127.0.0.2", "loopback");
        assertThat(resolver.lookups("rebind.test")).isGreaterThanOrEqualTo(4);
        assertThat(internal.bodies()).isEmpty();
        assertThat(receiver.bodies()).noneMatch(body -> body.contains(second.id()));
    }

    /** A 200 whose body comes a byte at a time is cut at the attempt's deadline, fails, and is tried again. */
    @Test
    void aTargetThatTricklesItsAnswerIsCutAtTheDeadlineAndTheEventTriedAgain() {
        AtomicBoolean trickle = new AtomicBoolean(true);
        Queue<Duration> cutAfter = new ConcurrentLinkedQueue<>();
        Receiver receiver = receiver("127.0.0.1", 0, exchange -> {
            if (!trickle.get()) {
                answer(exchange, 200);
                return;
            }
            long started = System.nanoTime();
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 300; i++) {  // 30 s at most
                    out.write('.');
                    out.flush();
                    sleepBetweenBytes();
                }
            } catch (IOException closedByTheService) {
                cutAfter.add(Duration.ofNanos(System.nanoTime() - started));
            }
        });
        String app = AppsApiTest.uniqueName("trickle");
        String id = created(Map.of("url", receiver.url(), "namespace", "workspace", "app", app, "secret", SECRET));

        Event<StageRequested> event = publish(app);
        JsonNode failed = await().atMost(TIMEOUT).until(() -> delivery(id, event.id()),
                delivery -> delivery != null && delivery.path("attempts").asInt() >= 1);
        assertThat(failed.path("delivered").asBoolean()).isFalse();
        assertThat(failed.path("lastError").asString()).contains("deadline");
        await().atMost(TIMEOUT).until(() -> !cutAfter.isEmpty());
        assertThat(cutAfter.peek()).isBetween(DEADLINE.minusMillis(500), DEADLINE.plusSeconds(2));

        trickle.set(false);
        JsonNode delivered = await().atMost(TIMEOUT).until(() -> delivery(id, event.id()),
                delivery -> delivery != null && delivery.path("delivered").asBoolean());
        assertThat(delivered.path("attempts").asInt()).isGreaterThanOrEqualTo(2);
    }

    /** An endless answer is read up to the cap (64 KB) and left: the target cannot make the service read on. */
    @Test
    void anOversizedAnswerIsReadOnlyUpToTheCap() {
        AtomicLong written = new AtomicLong(-1);
        long offered = 256L * 1024 * 1024;
        Receiver receiver = receiver("127.0.0.1", 0, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            long sent = 0;
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                while (sent < offered) {
                    out.write(chunk);
                    sent += chunk.length;
                }
            } catch (IOException closedByTheService) {
                // what the service left unread
            }
            written.set(sent);
        });
        String app = AppsApiTest.uniqueName("huge");
        String id = created(Map.of("url", receiver.url(), "namespace", "workspace", "app", app, "secret", SECRET));

        Event<StageRequested> event = publish(app);
        JsonNode delivered = await().atMost(TIMEOUT).until(() -> delivery(id, event.id()),
                delivery -> delivery != null && delivery.path("attempts").asInt() >= 1);
        assertThat(delivered.path("delivered").asBoolean()).as(delivered.toString()).isTrue();
        await().atMost(TIMEOUT).until(() -> written.get() >= 0);
        // socket buffers take some megabytes before the receiver notices; reading it all would take 256 MB
        assertThat(written.get()).isLessThan(32L * 1024 * 1024);
    }

    @Test
    void aNamespaceHasAtMostTheConfiguredNumberOfSubscriptions() {
        Map<String, Object> body = Map.of("url", "http://hooks.example.test/capped", "namespace", "workspace",
                "app", "capped-app");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ApiClient.Reply reply = subscribe(body);
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
            ids.add(reply.body().path("id").asString());
            // no secret given: the service made one, shown in this answer only
            assertThat(reply.body().path("secret").asString()).startsWith("whsec_");
        }
        assertThat(as("alice").get("/api/v1/subscriptions/" + ids.get(0)).body().has("secret")).isFalse();

        ApiClient.Reply fifth = as("alice").post("/api/v1/subscriptions", body);
        assertThat(fifth.status()).isEqualTo(422);
        assertThat(fifth.error()).contains("namespace workspace has 4 subscriptions",
                "slipway.webhooks.max-subscriptions-per-namespace");
        // another namespace has its own count
        assertThat(subscribe("bob", Map.of("url", "http://hooks.example.test/capped", "namespace", "other"))
                .status()).isEqualTo(201);

        assertThat(as("alice").delete("/api/v1/subscriptions/" + ids.get(0)).status()).isEqualTo(204);
        assertThat(subscribe(body).status()).isEqualTo(201);
    }

    /** A token in the URL's path or query is in no log line, no Kafka record, no listing: only the receiver sees it. */
    @Test
    void theUrlIsSealedAtRestRedactedInListingsAndNeverLogged(CapturedOutput output) throws Exception {
        String token = "tok" + UUID.randomUUID().toString().replace("-", "");
        AtomicBoolean failFirst = new AtomicBoolean(true);
        Queue<String> paths = new ConcurrentLinkedQueue<>();
        Receiver receiver = receiver("127.0.0.1", 0, exchange -> {
            paths.add(exchange.getRequestURI().toString());
            answer(exchange, failFirst.getAndSet(false) ? 500 : 204);
        });
        String url = receiver.url() + "/" + token + "?key=" + token;
        String app = AppsApiTest.uniqueName("sealed");
        String id = created(Map.of("url", url, "namespace", "workspace", "app", app, "secret", SECRET));
        assertThat(refusal("http://10.9.8.7/" + token + "?key=" + token)).doesNotContain(token);

        Event<StageRequested> event = publish(app);
        await().atMost(TIMEOUT).until(() -> {
            JsonNode delivery = delivery(id, event.id());
            return delivery != null && delivery.path("delivered").asBoolean();
        });
        assertThat(paths).contains("/hook/" + token + "?key=" + token);

        JsonNode listed = as("alice").get("/api/v1/subscriptions").body();
        assertThat(listed.valueStream().filter(each -> each.path("id").asString().equals(id)))
                .singleElement().satisfies(each -> assertThat(each.path("url").asString())
                        .isEqualTo("http://127.0.0.1:" + receiver.port() + "/…"));
        assertThat(as("alice").get("/api/v1/subscriptions/" + id + "/deliveries").raw().body()).doesNotContain(token);

        List<String> records = AllTopics.recordsAsText(broker.getBrokersAsString());
        assertThat(records).anySatisfy(record -> assertThat(record).startsWith("slipway.subscriptions")
                .contains(id));
        assertThat(records).noneSatisfy(record -> assertThat(record).contains(token));
        assertThat(output.getAll()).contains(id).doesNotContain(token);
    }

    private Event<StageRequested> publish(String app) {
        return log.publish(Event.start(SOURCE, new StageRequested(UUID.randomUUID().toString(),
                new AppRef("workspace", app), null, AppSettings.defaults(), null)));
    }

    /** The latest state of one event's delivery, or null before its first attempt. */
    private JsonNode delivery(String subscription, String eventId) {
        return as("alice").get("/api/v1/subscriptions/" + subscription + "/deliveries").body().valueStream()
                .filter(delivery -> delivery.path("eventId").asString().equals(eventId)).findFirst().orElse(null);
    }

    private String created(Map<String, Object> body) {
        ApiClient.Reply reply = subscribe(body);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
        return reply.body().path("id").asString();
    }

    private ApiClient.Reply subscribe(Map<String, Object> body) {
        return subscribe("alice", body);
    }

    private ApiClient.Reply subscribe(String user, Map<String, Object> body) {
        ApiClient.Reply reply = as(user).post("/api/v1/subscriptions", body);
        if (reply.status() == 201) {
            subscriptions.add(reply.body().path("id").asString());
        }
        return reply;
    }

    private String refusal(String url) {
        ApiClient.Reply reply = subscribe(Map.of("url", url, "namespace", "workspace", "secret", SECRET));
        assertThat(reply.status()).as(url + ": " + reply.raw().body()).isEqualTo(422);
        return reply.error();
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** The trickle's pace; a receiver thread, not the test, waits. */
    private static void sleepBetweenBytes() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Receiver receiver(String address, int port, HttpHandler handler) {
        Receiver receiver = new Receiver(address, port, handler);
        receivers.add(receiver);
        return receiver;
    }

    /** An HTTP server on a loopback address that keeps each request's body and Host header. */
    private static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Queue<String> bodies = new ConcurrentLinkedQueue<>();
        private final Queue<String> hosts = new ConcurrentLinkedQueue<>();

        Receiver(String address, int port, HttpHandler handler) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(threads);
            server.createContext("/hook", exchange -> {
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                byte[] body = exchange.getRequestBody().readAllBytes();
                bodies.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                handler.handle(exchange);
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url() {
            return "http://127.0.0.1:" + port() + "/hook";
        }

        List<String> bodies() {
            return List.copyOf(bodies);
        }

        List<String> hosts() {
            return List.copyOf(hosts);
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
