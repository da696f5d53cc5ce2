package dev.slipway.routing.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Route;
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

    @AfterAll
    static void stop() {
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
                IngressRoutes replica = new IngressRoutes(CLUSTER.createClient(), properties(""));
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
    void anIssuerAnnotatesEveryRouteAndNamesTheSecretCertManagerFills() throws Exception {
        AppRef app = new AppRef("issued", "site");
        List<String> urls = new IngressRoutes(KUBE, properties("letsencrypt")).apply(app,
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

        List<String> urls = new IngressRoutes(KUBE, properties("")).apply(app, List.of(
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

    private static RoutingProperties properties(String issuer) {
        return new RoutingProperties("", "traefik", issuer, "ClusterIssuer", "slipway-system", 0, 2,
                Duration.ofMillis(50));
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
