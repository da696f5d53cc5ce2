package dev.slipway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.DeadLetterErrorHandling;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import dev.slipway.testsupport.metrics.Scrape;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * routing-service on the real broker against fabric8's CRUD mock API server (the one stand-in);
 * every assertion reads the Ingress objects an ingress controller would read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=routing-service", "server.port=0",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "slipway.system-domain=apps.test"})
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingServiceTest {

    /**
     * This context's own broker: the system property names the broker of whichever context started
     * last, which is another class's once contexts are cached and reused.
     */
    @org.springframework.beans.factory.annotation.Autowired
    EmbeddedKafkaBroker embeddedKafka;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final URI DEPLOY = URI.create("/slipway/deploy-service");
    private static final KubernetesMockServer CLUSTER = KubernetesMocks.startCrudServer();
    private static final KubernetesClient KUBE = CLUSTER.createClient();

    private EventLog log;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) throws Exception {
        // the claims namespace is the platform's own, there before routing starts (as with the chart)
        KubernetesMocks.createNamespace(KUBE, "slipway-system");
        Path kubeconfig = KubernetesMocks.serviceKubeconfigFile(CLUSTER, "workspace", "routing");
        registry.add("slipway.routing.kubeconfig", kubeconfig::toString);
    }

    @BeforeAll
    void openLog() {
        log = new EventLog(embeddedKafka.getBrokersAsString());
    }

    @AfterAll
    void close() {
        log.close();
        KUBE.close();
        CLUSTER.destroy();
    }

    @Test
    void theDefaultRouteIsAnIngressForTheAppsServiceOnTheSystemDomain() {
        AppRef app = app("web");
        Event<AppDeployed> deployed = deploy(app, true);

        assertThat(ready(deployed).urls()).containsExactly("http://" + app.name() + ".apps.test");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Scrape.of(ApiClient.anonymous(port))
                .sum("slipway_route_outcomes_total", Map.of("outcome", "ready", "reason", "NONE")))
                .isGreaterThanOrEqualTo(1));
        Ingress ingress = onlyIngressOf(app);
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
        assertThat(ingress.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "slipway")
                .containsEntry("slipway.dev/app", app.name()).containsEntry("slipway.dev/namespace", "workspace");
        var rule = ingress.getSpec().getRules().get(0);
        assertThat(rule.getHost()).isEqualTo(app.name() + ".apps.test");
        var path = rule.getHttp().getPaths().get(0);
        assertThat(path.getPath()).isEqualTo("/");
        assertThat(path.getPathType()).isEqualTo("Prefix");
        assertThat(path.getBackend().getService().getName()).isEqualTo(app.name());
        assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
        assertThat(ingress.getSpec().getTls()).isEmpty();
    }

    @Test
    void customAndPathRoutesEachGetAnIngressAndAnAppMayHaveNoRouteAtAll() {
        AppRef app = app("shop");
        String host = app.name() + ".example.com";
        Event<AppDeployed> deployed = deploy(app, false, "https://" + host, host + "/api/", host + "/static");

        assertThat(ready(deployed).urls()).containsExactly("http://" + host, "http://" + host + "/api",
                "http://" + host + "/static");
        assertThat(ingressesOf(app)).extracting(ingress -> ingress.getSpec().getRules().get(0).getHttp().getPaths()
                .get(0).getPath()).containsExactlyInAnyOrder("/", "/api", "/static");
        assertThat(ingressesOf(app)).allSatisfy(ingress ->
                assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo(host));

        Event<AppDeployed> unrouted = deploy(app, false);
        assertThat(ready(unrouted).urls()).isEmpty();
        assertThat(ingressesOf(app)).isEmpty();
    }

    @Test
    void aRouteOwnedByAnotherAppIsRefusedNamingTheOwnerAndTakesNothing() {
        AppRef owner = app("owner");
        AppRef intruder = app("intruder");
        String shared = owner.name() + ".example.com";
        ready(deploy(owner, false, shared));
        Ingress ownersIngress = onlyIngressOf(owner);

        Event<AppDeployed> refused = deploy(intruder, true, intruder.name() + ".example.com", shared);
        RoutesFailed failed = failed(refused);

        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
        assertThat(failed.failure().retryable()).isFalse();
        assertThat(failed.failure().message()).contains("route " + shared, "app " + owner);
        assertThat(failed.deployed()).isEqualTo(refused.data());
        assertThat(ingressesOf(intruder)).isEmpty();
        assertThat(onlyIngressOf(owner).getMetadata().getResourceVersion())
                .isEqualTo(ownersIngress.getMetadata().getResourceVersion());

        // the intruder's other route was given back: a third app can take it
        AppRef third = app("third");
        assertThat(ready(deploy(third, false, intruder.name() + ".example.com")).urls()).hasSize(1);
    }

    @Test
    void anIngressNotMadeBySlipwayAlsoOwnsItsHost() {
        String host = "legacy-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        KUBE.network().v1().ingresses().inNamespace("legacy").resource(new IngressBuilder()
                .withNewMetadata().withName("legacy-site").withNamespace("legacy").endMetadata()
                .withNewSpec().addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/")
                .withPathType("Prefix").withNewBackend().withNewService().withName("legacy").withNewPort()
                .withNumber(80).endPort().endService().endBackend().endPath().endHttp().endRule().endSpec()
                .build()).create();

        RoutesFailed failed = failed(deploy(app("newcomer"), false, host + "/"));

        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
        assertThat(failed.failure().message()).contains("host " + host + " belongs to another namespace")
                .doesNotContain("legacy-site", "legacy/");
    }

    @Test
    void theSquattingOfAPathUnderAnotherNamespacesHostIsRefusedWithoutNamingItsOwner() {
        AppRef storefront = new AppRef("team-a", "storefront-" + UUID.randomUUID().toString().substring(0, 6));
        String host = "shop-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        ready(deploy(storefront, false, host));

        AppRef squatter = new AppRef("team-b", "squatter-" + UUID.randomUUID().toString().substring(0, 6));
        RoutesFailed failed = failed(deploy(squatter, true, host + "/checkout"));

        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
        assertThat(failed.failure().retryable()).isFalse();
        assertThat(failed.failure().message()).contains("host " + host + " belongs to another namespace")
                .doesNotContain("team-a", storefront.name());
        assertThat(ingressesOf(squatter)).isEmpty();
        assertThat(onlyIngressOf(storefront).getSpec().getRules().get(0).getHttp().getPaths().get(0).getPath())
                .isEqualTo("/");
    }

    @Test
    void aReservedHostIsRefusedAndNothingIsMade() {
        AppRef app = app("platformer");
        RoutesFailed failed = failed(deploy(app, true, "api.apps.test/hijack"));

        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
        assertThat(failed.failure().message()).contains("host api.apps.test is reserved for the platform");
        assertThat(ingressesOf(app)).isEmpty();
        // an app named like a platform host cannot have that host as its default route either
        RoutesFailed named = failed(deploy(new AppRef("workspace", "registry"), true));
        assertThat(named.failure().message()).contains("host registry.apps.test is reserved", "another name");
    }

    @Test
    void anAppDeployedEventForAReservedNamespaceGetsNoRoute() {
        // an event written to the log by anything but the API: the API would have refused the namespace
        AppRef intruder = new AppRef("kube-system", "intruder-" + UUID.randomUUID().toString().substring(0, 6));
        RoutesFailed failed = failed(deploy(intruder, true, "intruder.example.com"));

        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.NAMESPACE_RESERVED);
        assertThat(failed.failure().retryable()).isFalse();
        assertThat(ingressesOf(intruder)).isEmpty();
    }

    @Test
    void routesNoLongerWantedAreRemovedAndFreedForOthers() {
        AppRef app = app("mover");
        String a = app.name() + "-a.example.com";
        String b = app.name() + "-b.example.com";
        String c = app.name() + "-c.example.com";
        ready(deploy(app, false, a, b));
        Ingress keptBefore = ingressFor(app, b);

        assertThat(ready(deploy(app, false, b, c)).urls()).containsExactly("http://" + b, "http://" + c);

        assertThat(ingressesOf(app)).extracting(ingress -> ingress.getSpec().getRules().get(0).getHost())
                .containsExactlyInAnyOrder(b, c);
        assertThat(ingressFor(app, b).getMetadata().getResourceVersion())
                .isEqualTo(keptBefore.getMetadata().getResourceVersion());
        assertThat(ready(deploy(app("taker"), false, a)).urls()).containsExactly("http://" + a);
    }

    @Test
    void aRedeliveryChangesNoIngressAndAnswersTheSameUrls() {
        AppRef app = app("again");
        Event<AppDeployed> deployed = deploy(app, true, app.name() + ".example.com/v1");
        List<String> urls = ready(deployed).urls();
        Map<String, String> versions = resourceVersions(app);

        log.publish(deployed);
        await().atMost(TIMEOUT).until(() -> log.eventsOf(deployed.correlationId()).stream()
                .filter(event -> event.type() == EventType.ROUTES_READY).count() == 2);

        assertThat(log.eventsOf(deployed.correlationId()).stream().filter(event -> event.type()
                == EventType.ROUTES_READY).map(event -> ((RoutesReady) event.data()).urls())).containsOnly(urls);
        assertThat(resourceVersions(app)).isEqualTo(versions);
    }

    @Test
    void anInvalidRouteFailsWithItsReasonAndAnAppsDeletionRemovesItsIngresses() {
        AppRef app = app("gone");
        RoutesFailed invalid = failed(deploy(app, true, "bad_host.example.com"));
        assertThat(invalid.failure().reason()).isEqualTo(ReasonCodes.ROUTE_INVALID);
        assertThat(invalid.failure().message()).contains("bad_host.example.com");
        assertThat(ingressesOf(app)).isEmpty();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Scrape scrape = Scrape.of(ApiClient.anonymous(port));
            assertThat(scrape.sum("slipway_route_outcomes_total", Map.of("outcome", "failed", "reason",
                    ReasonCodes.ROUTE_INVALID))).isGreaterThanOrEqualTo(1);
            assertThat(scrape.text()).contains("kafka_consumer_fetch_manager_records_lag_max")
                    .doesNotContain("bad_host");
        });

        String custom = app.name() + ".example.com";
        ready(deploy(app, true, custom));
        assertThat(ingressesOf(app)).hasSize(2);

        log.publish(Event.start(URI.create("/slipway/upload-service"), new AppDeleted(UUID.randomUUID().toString(),
                app, "alice")));
        await().atMost(TIMEOUT).until(() -> ingressesOf(app).isEmpty());
        // its routes are free again
        assertThat(ready(deploy(app("heir"), false, custom)).urls()).containsExactly("http://" + custom);
    }

    @Test
    void aDeployedAppThatCrashedTheServiceThreeTimesIsFailedAsCrashedAndTheNextRecordIsRouted() {
        AppRef app = app("crash");
        String blobUid = UUID.randomUUID().toString();
        Event<AppDeployed> crasher = deployed(app, blobUid);
        log.markUnfinishedAttempts("routing-service", crasher, 3);
        log.publish(crasher);
        Event<AppDeployed> next = log.publish(deployed(app, blobUid));  // same partition, after it

        RoutesFailed crashed = failed(crasher);

        assertThat(crashed.failure().reason()).isEqualTo(ReasonCodes.STAGE_CRASHED);
        assertThat(crashed.failure().retryable()).isFalse();
        assertThat(crashed.failure().message()).contains("crashed routing-service 3 times",
                "slipway replay " + crasher.correlationId());
        assertThat(crashed.deployed()).isEqualTo(crasher.data());
        try (var deadLetters = log.topic(Topics.deadLetter("routing-service"))) {
            var dead = deadLetters.await(record -> crasher.id().equals(EventLog.header(record, "ce_id")), TIMEOUT);
            assertThat(EventLog.header(dead, DeadLetterErrorHandling.REASON_HEADER)).startsWith("STAGE_CRASHED");
        }
        log.awaitEvent(next.correlationId(), EventType.ROUTES_READY, TIMEOUT);
        assertThat(log.eventsOf(crasher.correlationId())).extracting(Event::type)
                .containsExactly(EventType.APP_DEPLOYED, EventType.ROUTES_FAILED);
    }

    private Event<AppDeployed> deploy(AppRef app, boolean defaultRoute, String... routes) {
        return log.publish(Event.start(DEPLOY, new AppDeployed(UUID.randomUUID().toString(), app, null,
                "registry.test/" + app.name() + ":1", 1, 1, 1,
                new AppSettings(1, defaultRoute, List.of(routes), null))));
    }

    private static Event<AppDeployed> deployed(AppRef app, String blobUid) {
        return Event.start(DEPLOY, new AppDeployed(blobUid, app, null, "registry.test/" + app.name() + ":1", 1, 1, 1,
                new AppSettings(1, true, List.of(), null)));
    }

    private RoutesReady ready(Event<AppDeployed> deployed) {
        var event = log.awaitRecord(record -> deployed.data().blobUid().equals(record.key())
                && (EventType.ROUTES_READY.type().equals(EventLog.header(record, "ce_type"))
                || EventType.ROUTES_FAILED.type().equals(EventLog.header(record, "ce_type"))), TIMEOUT);
        var data = log.decode(event).data();
        assertThat(data).as("routing outcome").isInstanceOf(RoutesReady.class);
        return (RoutesReady) data;
    }

    private RoutesFailed failed(Event<AppDeployed> deployed) {
        return (RoutesFailed) log.awaitEvent(deployed.correlationId(), EventType.ROUTES_FAILED, TIMEOUT).data();
    }

    private static AppRef app(String prefix) {
        return new AppRef("workspace", prefix + "-" + UUID.randomUUID().toString().substring(0, 6));
    }

    private static List<Ingress> ingressesOf(AppRef app) {
        return KUBE.network().v1().ingresses().inNamespace(app.namespace())
                .withLabel("slipway.dev/app", app.name()).list().getItems();
    }

    private static Ingress onlyIngressOf(AppRef app) {
        List<Ingress> ingresses = ingressesOf(app);
        assertThat(ingresses).hasSize(1);
        return ingresses.get(0);
    }

    private static Ingress ingressFor(AppRef app, String host) {
        return ingressesOf(app).stream().filter(ingress -> host.equals(ingress.getSpec().getRules().get(0).getHost()))
                .findFirst().orElseThrow();
    }

    private static Map<String, String> resourceVersions(AppRef app) {
        return ingressesOf(app).stream().collect(java.util.stream.Collectors.toMap(
                ingress -> ingress.getMetadata().getName(), ingress -> ingress.getMetadata().getResourceVersion()));
    }
}
