package dev.slipway.routing.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Route;
import dev.slipway.routing.RoutingFailure;
import dev.slipway.routing.RoutingProperties;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ingress routing on fabric8's CRUD mock, without the event log: races between replicas, and TLS
 * configurations that need their own settings.
 */
class IngressRoutesTest {

    private static final KubernetesMockServer CLUSTER = KubernetesMocks.startCrudServer();
    private static final KubernetesClient KUBE = CLUSTER.createClient();
    /** The routing service's own client: what it asks of the API is recorded as routing's. */
    private static final KubernetesClient ROUTING = KubernetesMocks.serviceClient(CLUSTER, "routing");

    static {
        // the claims namespace is the platform's own, there before routing starts (as with the chart)
        KubernetesMocks.createNamespace(KUBE, "slipway-system");
    }

    @AfterAll
    static void stop() {
        ROUTING.close();
        KUBE.close();
        CLUSTER.destroy();
    }

    @Test
    void ofManyAppsRacingForOneRouteExactlyOneWins() throws Exception {
        Route contested = Route.parse("race-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com");
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                AppRef app = new AppRef("ns" + i, "racer");
                // each racer is a replica of its own, with its own client
                IngressRoutes replica = new IngressRoutes(KubernetesMocks.serviceClient(CLUSTER, "routing"), properties(""));
                Callable<String> race = () -> {
                    start.await();
                    try {
                        replica.apply(app, List.of(contested));
                        return "won";
                    } catch (RoutingFailure failure) {
                        return failure.reason();
                    }
                };
                outcomes.add(pool.submit(race));
            }
            start.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(30, TimeUnit.SECONDS));
            }
            assertThat(results).containsOnlyOnce("won");
            assertThat(results).filteredOn(ReasonCodes.ROUTE_CONFLICT::equals).hasSize(racers - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(KUBE.network().v1().ingresses().inAnyNamespace().list().getItems())
                .filteredOn(ingress -> contested.host().equals(ingress.getSpec().getRules().get(0).getHost()))
                .hasSize(1);
    }

    @Test
    void aNamespaceCannotTakeAPathUnderAHostThatAnotherNamespaceRoutes() throws Exception {
        String host = unique("shop") + ".example.com";
        AppRef storefront = new AppRef("team-a", unique("storefront"));
        IngressRoutes routes = new IngressRoutes(ROUTING, properties(""));
        routes.apply(storefront, List.of(Route.parse(host)));

        // the longest prefix wins at the ingress controller: /checkout would take the shop's payments
        AppRef squatter = new AppRef("team-b", unique("squatter"));
        RoutingFailure refused = catchRefusal(() -> routes.apply(squatter, List.of(Route.parse(host + "/checkout"))));

        assertThat(refused.reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
        assertThat(refused.getMessage()).contains("host " + host + " belongs to another namespace",
                "a host of your own").doesNotContain("team-a", storefront.name());
        assertThat(ingressesOn(host)).extracting(ingress -> ingress.getMetadata().getNamespace())
                .containsOnly("team-a");
        // within the namespace the rules are as before: another app may take a path of the host
        AppRef checkout = new AppRef("team-a", unique("checkout"));
        assertThat(routes.apply(checkout, List.of(Route.parse(host + "/checkout"))))
                .containsExactly("http://" + host + "/checkout");
        RoutingFailure exact = catchRefusal(() -> routes.apply(new AppRef("team-a", unique("other")),
                List.of(Route.parse(host + "/checkout"))));
        assertThat(exact.getMessage()).contains("route " + host + "/checkout belongs to app " + checkout);
    }

    @Test
    void theDefaultHostOfAnAppIsNotTakenByTheSameNameInAnotherNamespace() throws Exception {
        String name = unique("blog");
        Route defaultRoute = Route.defaultRoute(name, "apps.test");
        IngressRoutes routes = new IngressRoutes(ROUTING, properties(""));
        routes.apply(new AppRef("team-a", name), List.of(defaultRoute));

        RoutingFailure refused = catchRefusal(() -> routes.apply(new AppRef("team-b", name), List.of(defaultRoute)));

        assertThat(refused.reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
        assertThat(refused.getMessage()).contains("host " + defaultRoute.host() + " belongs to another namespace")
                .doesNotContain("team-a");
        assertThat(ingressesIn("team-b")).noneMatch(ingress -> defaultRoute.host()
                .equals(ingress.getSpec().getRules().get(0).getHost()));
    }

    @Test
    void ofNamespacesRacingForOneHostTheAppsOfExactlyOneGetIt() throws Exception {
        String host = unique("race") + ".example.com";
        int namespaces = 3;
        int appsPerNamespace = 2;
        ExecutorService pool = Executors.newFixedThreadPool(namespaces * appsPerNamespace);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int n = 0; n < namespaces; n++) {
                for (int a = 0; a < appsPerNamespace; a++) {
                    AppRef app = new AppRef("racers-" + n, "app" + a);
                    Route route = Route.parse(host + "/part" + a);
                    IngressRoutes replica = new IngressRoutes(KubernetesMocks.serviceClient(CLUSTER, "routing"), properties(""));
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            replica.apply(app, List.of(route));
                            return app.namespace();
                        } catch (RoutingFailure failure) {
                            // the loser learns nothing of the winner
                            assertThat(failure.getMessage().replace(app.namespace(), ""))
                                    .doesNotContain("racers-");
                            return failure.reason();
                        }
                    }));
                }
            }
            start.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(30, TimeUnit.SECONDS));
            }
            List<String> winners = results.stream().filter(result -> result.startsWith("racers-")).toList();
            assertThat(winners).hasSize(appsPerNamespace).containsOnly(winners.get(0));
            assertThat(results).filteredOn(ReasonCodes.ROUTE_CONFLICT::equals)
                    .hasSize((namespaces - 1) * appsPerNamespace);
            assertThat(ingressesOn(host)).hasSize(appsPerNamespace)
                    .allSatisfy(ingress -> assertThat(ingress.getMetadata().getNamespace()).isEqualTo(winners.get(0)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHostIsFreeForAnotherNamespaceOnlyOnceItsLastRouteIsGone() throws Exception {
        String host = unique("moving") + ".example.com";
        AppRef site = new AppRef("team-a", unique("site"));
        AppRef docs = new AppRef("team-a", unique("docs"));
        IngressRoutes routes = new IngressRoutes(ROUTING, properties(""));
        routes.apply(site, List.of(Route.parse(host)));
        routes.apply(docs, List.of(Route.parse(host + "/docs")));
        AppRef newcomer = new AppRef("team-b", unique("newcomer"));

        routes.apply(site, List.of());  // the site moves away; the docs still hold the host
        assertThat(catchRefusal(() -> routes.apply(newcomer, List.of(Route.parse(host)))).reason())
                .isEqualTo(ReasonCodes.ROUTE_CONFLICT);

        routes.removeAll(docs);  // the docs app is deleted: nothing of team-a is left on the host
        assertThat(routes.apply(newcomer, List.of(Route.parse(host)))).containsExactly("http://" + host);
        assertThat(catchRefusal(() -> routes.apply(site, List.of(Route.parse(host + "/back")))).getMessage())
                .contains("belongs to another namespace").doesNotContain("team-b", newcomer.name());
    }

    @Test
    void aRefusedDeployGivesBackTheHostsItClaimedOnTheWay() throws Exception {
        String free = unique("free") + ".example.com";
        String held = unique("held") + ".example.com";
        IngressRoutes routes = new IngressRoutes(ROUTING, properties(""));
        routes.apply(new AppRef("team-a", unique("holder")), List.of(Route.parse(held)));
        AppRef greedy = new AppRef("team-b", unique("greedy"));

        catchRefusal(() -> routes.apply(greedy, List.of(Route.parse(free), Route.parse(held + "/x"))));

        assertThat(routes.apply(new AppRef("team-c", unique("third")), List.of(Route.parse(free))))
                .containsExactly("http://" + free);
    }

    @Test
    void anIssuerAnnotatesEveryRouteAndNamesTheSecretCertManagerFills() throws Exception {
        AppRef app = new AppRef("issued", "site");
        List<String> urls = new IngressRoutes(ROUTING, properties("letsencrypt")).apply(app,
                List.of(Route.parse("site.example.com"), Route.parse("site.example.com/docs")));

        assertThat(urls).containsExactly("https://site.example.com", "https://site.example.com/docs");
        for (Ingress ingress : ingressesIn("issued")) {
            assertThat(ingress.getMetadata().getAnnotations())
                    .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");
            IngressTLS tls = ingress.getSpec().getTls().get(0);
            assertThat(tls.getHosts()).containsExactly("site.example.com");
            assertThat(tls.getSecretName()).isEqualTo(ingress.getMetadata().getName() + "-tls");
        }
    }

    @Test
    void withoutAnIssuerAnExactSecretWinsThenTheLongestWildcardElsePlainHttp(@TempDir Path dir) throws Exception {
        String ns = "secrets";
        tlsSecret(ns, "star-example", Map.of(TlsSecrets.ALT_NAMES, "*.example.com"), null);
        tlsSecret(ns, "star-apps-example", Map.of(TlsSecrets.ALT_NAMES, "*.apps.example.com"), null);
        tlsSecret(ns, "shop-exact", Map.of(TlsSecrets.ALT_NAMES, "shop.apps.example.com, other.test"), null);
        // a certificate without cert-manager's annotation is read for its subject alternative names
        tlsSecret(ns, "from-certificate", Map.of(), certificateFor(dir, "*.internal.test"));
        AppRef app = new AppRef(ns, "tls");

        List<String> urls = new IngressRoutes(ROUTING, properties("")).apply(app, List.of(
                Route.parse("shop.apps.example.com"), Route.parse("blog.apps.example.com"),
                Route.parse("example.com"), Route.parse("www.example.com"), Route.parse("api.internal.test")));

        assertThat(urls).containsExactly("https://shop.apps.example.com", "https://blog.apps.example.com",
                "http://example.com", "https://www.example.com", "https://api.internal.test");
        assertThat(secretOf(ns, "shop.apps.example.com")).isEqualTo("shop-exact");
        assertThat(secretOf(ns, "blog.apps.example.com")).isEqualTo("star-apps-example");
        assertThat(secretOf(ns, "example.com")).isNull();
        assertThat(secretOf(ns, "www.example.com")).isEqualTo("star-example");
        assertThat(secretOf(ns, "api.internal.test")).isEqualTo("from-certificate");
    }

    @Test
    void aCertificateThatArrivesLaterTurnsTheRoutesIngressToHttps() throws Exception {
        String ns = unique("late-tls");
        AppRef app = new AppRef(ns, "site");
        IngressRoutes routes = new IngressRoutes(ROUTING, properties(""));
        Route route = Route.parse(unique("late") + ".example.org");
        assertThat(routes.apply(app, List.of(route))).containsExactly("http://" + route.host());
        String uid = ingressesIn(ns).get(0).getMetadata().getUid();

        tlsSecret(ns, "late-cert", Map.of(TlsSecrets.ALT_NAMES, route.host()), null);

        assertThat(routes.apply(app, List.of(route))).containsExactly("https://" + route.host());
        assertThat(secretOf(ns, route.host())).isEqualTo("late-cert");
        // the same Ingress, changed in place: no moment without a route
        assertThat(ingressesIn(ns)).singleElement().extracting(ingress -> ingress.getMetadata().getUid())
                .isEqualTo(uid);
    }

    private static RoutingProperties properties(String issuer) {
        return new RoutingProperties("", "traefik", issuer, "ClusterIssuer", "slipway-system", 0, 2,
                Duration.ofMillis(50));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static RoutingFailure catchRefusal(Callable<?> apply) throws Exception {
        try {
            apply.call();
        } catch (RoutingFailure refused) {
            return refused;
        }
        throw new AssertionError("the routes were applied, not refused");
    }

    private static List<Ingress> ingressesOn(String host) {
        return KUBE.network().v1().ingresses().inAnyNamespace().list().getItems().stream()
                .filter(ingress -> host.equals(ingress.getSpec().getRules().get(0).getHost())).toList();
    }

    private static List<Ingress> ingressesIn(String namespace) {
        return KUBE.network().v1().ingresses().inNamespace(namespace).list().getItems();
    }

    private static String secretOf(String namespace, String host) {
        Ingress ingress = ingressesIn(namespace).stream()
                .filter(candidate -> host.equals(candidate.getSpec().getRules().get(0).getHost())).findFirst()
                .orElseThrow();
        return ingress.getSpec().getTls().isEmpty() ? null : ingress.getSpec().getTls().get(0).getSecretName();
    }

    private static void tlsSecret(String namespace, String name, Map<String, String> annotations, String pem) {
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withAnnotations(annotations).endMetadata().withType("kubernetes.io/tls")
                .addToData("tls.crt", Base64.getEncoder().encodeToString((pem == null ? "" : pem).getBytes()))
                .addToData("tls.key", "").build();
        KUBE.secrets().inNamespace(namespace).resource(secret).create();
    }

    /** A self-signed certificate for {@code dnsName}, made by the JDK's keytool. */
    private static String certificateFor(Path dir, String dnsName) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = dir.resolve("store.p12");
        run(keytool.toString(), "-genkeypair", "-keystore", store.toString(), "-storepass", "changeit", "-alias",
                "tls", "-keyalg", "EC", "-dname", "CN=test", "-ext", "SAN=dns:" + dnsName);
        Path pem = dir.resolve("tls.crt");
        run(keytool.toString(), "-exportcert", "-rfc", "-keystore", store.toString(), "-storepass", "changeit",
                "-alias", "tls", "-file", pem.toString());
        return Files.readString(pem);
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
