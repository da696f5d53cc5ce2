package dev.slipway.routing.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.http.Routed;
import dev.slipway.testsupport.kafka.EventLog;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * routing-service in local mode on the real broker: its Jetty reverse proxy sends each routed host
 * to the app's instances (here: plain HTTP servers standing for containers) and refuses the rest.
 */
@SpringBootTest(properties = {"spring.config.name=routing-service", "server.port=0",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "slipway.runtime=local",
        "slipway.local.router.port=0"})
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRoutingTest {

    /**
     * This context's own broker: the system property names the broker of whichever context started
     * last, which is another class's once contexts are cached and reused.
     */
    @org.springframework.beans.factory.annotation.Autowired
    EmbeddedKafkaBroker embeddedKafka;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final URI DEPLOY = URI.create("/slipway/deploy-service");

    private final List<HttpServer> instances = new ArrayList<>();
    private EventLog log;

    @BeforeAll
    void openLog() {
        log = new EventLog(embeddedKafka.getBrokersAsString());
    }

    @AfterAll
    void close() {
        log.close();
        instances.forEach(server -> server.stop(0));
    }

    @Test
    void theDefaultRouteOnLocalhostReachesEveryInstanceInTurnAndADeletionUnroutesIt() throws Exception {
        AppRef app = app("web");
        Event<AppDeployed> deployed = deploy(app, true, List.of(), instance("one"), instance("two"));

        RoutesReady ready = ready(deployed);
        assertThat(ready.urls()).singleElement().satisfies(url ->
                assertThat(url).matches("http://" + app.name() + "\\.localhost:\\d+"));
        String url = ready.urls().get(0);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Routed.Answer answer = Routed.get(url);
            assertThat(answer.status()).isEqualTo(200);
            bodies.add(answer.body());
        }
        assertThat(bodies).containsExactlyInAnyOrder("one", "two", "one", "two");

        log.publish(Event.start(URI.create("/slipway/upload-service"), new AppDeleted(UUID.randomUUID().toString(),
                app, "alice")));
        Routed.Answer gone = org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> Routed.get(url),
                answer -> answer.status() == 404);
        assertThat(gone.body()).contains("no app is routed at " + app.name() + ".localhost", "slipway push");
    }

    @Test
    void customAndPathRoutesGoToTheirAppAndARedeployMovesTrafficToTheNewInstances() throws Exception {
        AppRef shop = app("shop");
        AppRef docs = app("docs");
        String host = shop.name() + ".example.test";
        ready(deploy(shop, false, List.of(host), instance("shop v1")));
        RoutesReady docsReady = ready(deploy(docs, false, List.of(host + "/docs"), instance("docs")));

        String port = docsReady.urls().get(0).replaceAll(".*:(\\d+).*", "$1");
        assertThat(Routed.get("http://" + host + ":" + port + "/").body()).isEqualTo("shop v1");
        assertThat(Routed.get("http://" + host + ":" + port + "/docs/intro").body()).isEqualTo("docs");
        assertThat(Routed.get("http://" + host + ":" + port + "/docsx").body()).isEqualTo("shop v1");

        ready(deploy(shop, false, List.of(host), instance("shop v2")));
        assertThat(Routed.get("http://" + host + ":" + port + "/").body()).isEqualTo("shop v2");

        ready(deploy(shop, false, List.of(host)));  // scaled to zero
        Routed.Answer none = Routed.get("http://" + host + ":" + port + "/");
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.body()).contains("has no running instance");
    }

    @Test
    void anAppWhoseInstancesAreAllDownGetsAJsonErrorThatNamesTheNextStep() throws Exception {
        AppRef app = app("down");
        String endpoint = instance("up for now");
        RoutesReady ready = ready(deploy(app, true, List.of(), endpoint));
        assertThat(Routed.get(ready.urls().get(0)).body()).isEqualTo("up for now");

        instances.remove(instances.size() - 1).stop(0);  // crashed past its restarts: nothing listens there
        Routed.Answer down = Routed.get(ready.urls().get(0));

        assertThat(down.status()).isEqualTo(502);
        JsonNode error = EventJson.mapper().readTree(down.body()).path("errors").path(0);
        assertThat(error.path("status").asInt()).isEqualTo(502);
        assertThat(error.path("title").asString()).isEqualTo("app not answering");
        assertThat(error.path("details").asString()).contains("app " + app + " did not answer",
                "slipway apps show " + app.name() + " -n workspace", "slipway logs " + app.name() + " -n workspace");
    }

    @Test
    void aRefusalIsJsonAndEchoesNoMarkupFromTheRequest() throws Exception {
        String port = ready(deploy(app("echo"), true, List.of(), instance("echo"))).urls().get(0)
                .replaceAll(".*:(\\d+).*", "$1");
        // '&' and '\'' are allowed in a host name: echoed, escaped
        String odd = "no-app&here'.localhost";
        String refused = raw(Integer.parseInt(port), odd);

        assertThat(refused).startsWith("HTTP/1.1 404").containsIgnoringCase("content-type: application/json")
                .doesNotContain("&here");
        assertThat(EventJson.mapper().readTree(bodyOf(refused)).path("errors").path(0).path("details").asString())
                .contains("no app is routed at " + odd);

        // markup is no host name: refused before routing, and not echoed either
        String markup = raw(Integer.parseInt(port), "<svg onload=alert(1)>.localhost");
        assertThat(markup).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/json")
                .doesNotContain("<svg", "<html");
        assertThat(EventJson.mapper().readTree(bodyOf(markup)).path("errors").path(0).path("status").asInt())
                .isEqualTo(400);
    }

    private static String bodyOf(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    /** A GET with {@code host} as sent, unchecked by an HTTP client; the whole answer. */
    private static String raw(int port, String host) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRouteOfAnotherAppIsRefusedAndTheOwnerKeepsServing() throws Exception {
        AppRef owner = app("owner");
        AppRef intruder = app("intruder");
        String host = owner.name() + ".example.test";
        RoutesReady owned = ready(deploy(owner, false, List.of(host), instance("owner")));

        RoutesFailed refused = (RoutesFailed) log.awaitEvent(deploy(intruder, true, List.of(host),
                instance("intruder")).correlationId(), EventType.ROUTES_FAILED, TIMEOUT).data();

        assertThat(refused.failure().reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
        assertThat(refused.failure().message()).contains("belongs to app " + owner);
        assertThat(Routed.get(owned.urls().get(0)).body()).isEqualTo("owner");
    }

    @Test
    void aPathUnderAnotherNamespacesHostIsRefusedAndItsTrafficStaysWithTheOwner() throws Exception {
        AppRef storefront = new AppRef("team-a", "storefront-" + UUID.randomUUID().toString().substring(0, 6));
        String host = "shop-" + UUID.randomUUID().toString().substring(0, 6) + ".example.test";
        RoutesReady owned = ready(deploy(storefront, false, List.of(host), instance("storefront")));
        String port = owned.urls().get(0).replaceAll(".*:(\\d+).*", "$1");

        AppRef squatter = new AppRef("team-b", "squatter-" + UUID.randomUUID().toString().substring(0, 6));
        RoutesFailed refused = (RoutesFailed) log.awaitEvent(deploy(squatter, false, List.of(host + "/checkout"),
                instance("squatter")).correlationId(), EventType.ROUTES_FAILED, TIMEOUT).data();

        assertThat(refused.failure().reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
        assertThat(refused.failure().message()).contains("host " + host + " belongs to another namespace")
                .doesNotContain("team-a", storefront.name());
        assertThat(Routed.get("http://" + host + ":" + port + "/checkout").body()).isEqualTo("storefront");

        // once the owner is gone, the host is free for whoever routes it next
        log.publish(Event.start(URI.create("/slipway/upload-service"), new AppDeleted(UUID.randomUUID().toString(),
                storefront, "alice")));
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> Routed.get("http://" + host + ":" + port
                + "/").status() == 404);
        ready(deploy(squatter, false, List.of(host + "/checkout"), instance("new owner")));
        assertThat(Routed.get("http://" + host + ":" + port + "/checkout").body()).isEqualTo("new owner");
    }

    @Test
    void ofTwoNamespacesPushingOneHostAtOnceExactlyOneGetsIt() throws Exception {
        String host = "race-" + UUID.randomUUID().toString().substring(0, 6) + ".example.test";
        AppRef first = new AppRef("team-a", "racer");
        AppRef second = new AppRef("team-b", "racer");
        Event<AppDeployed> a = deploy(first, false, List.of(host + "/a"), instance("a"));
        Event<AppDeployed> b = deploy(second, false, List.of(host + "/b"), instance("b"));

        List<EventType> outcomes = new ArrayList<>();
        for (Event<AppDeployed> deployed : List.of(a, b)) {
            outcomes.add(org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> log.eventsOf(
                    deployed.correlationId()).stream().map(Event::type).filter(type -> type == EventType.ROUTES_READY
                    || type == EventType.ROUTES_FAILED).findFirst(), java.util.Optional::isPresent).orElseThrow());
        }

        assertThat(outcomes).containsExactlyInAnyOrder(EventType.ROUTES_READY, EventType.ROUTES_FAILED);
    }

    @Test
    void aDeployedAppThatCrashedTheServiceThreeTimesIsFailedAsCrashedAndTheNextRecordIsRouted() throws Exception {
        AppRef app = app("crash");
        String endpoint = instance("after the crash");
        Event<AppDeployed> crasher = Event.start(DEPLOY, new AppDeployed(UUID.randomUUID().toString(), app, null,
                "registry.test/" + app.name() + ":1", 1, 1, 1, new AppSettings(1, true, List.of(), null),
                List.of(endpoint)));
        log.markUnfinishedAttempts("routing-service", crasher, 3);
        log.publish(crasher);
        Event<AppDeployed> next = log.publish(crasher.replay(DEPLOY, crasher.data()));  // same partition, after it

        RoutesFailed crashed = (RoutesFailed) log.awaitEvent(crasher.correlationId(), EventType.ROUTES_FAILED,
                TIMEOUT).data();

        assertThat(crashed.failure().reason()).isEqualTo(ReasonCodes.STAGE_CRASHED);
        assertThat(crashed.failure().message()).contains("crashed routing-service 3 times");
        assertThat(crashed.deployed()).isEqualTo(crasher.data());
        RoutesReady ready = (RoutesReady) org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() ->
                log.eventsOf(next.correlationId()).stream().filter(event -> event.is(EventType.ROUTES_READY))
                        .map(Event::data).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(Routed.get(ready.urls().get(0)).body()).isEqualTo("after the crash");
    }

    private Event<AppDeployed> deploy(AppRef app, boolean defaultRoute, List<String> routes, String... endpoints) {
        return log.publish(Event.start(DEPLOY, new AppDeployed(UUID.randomUUID().toString(), app, null,
                "registry.test/" + app.name() + ":1", 1, endpoints.length, endpoints.length,
                new AppSettings(endpoints.length, defaultRoute, routes, null), List.of(endpoints))));
    }

    private RoutesReady ready(Event<AppDeployed> deployed) {
        return (RoutesReady) log.awaitEvent(deployed.correlationId(), EventType.ROUTES_READY, TIMEOUT).data();
    }

    /** An app instance answering {@code body}; its endpoint as deploy-service would report it. */
    private String instance(String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        instances.add(server);
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static AppRef app(String prefix) {
        return new AppRef("workspace", prefix + "-" + UUID.randomUUID().toString().substring(0, 6));
    }
}
