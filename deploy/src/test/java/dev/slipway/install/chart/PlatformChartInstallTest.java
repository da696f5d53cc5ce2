package dev.slipway.install.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chart installed and upgraded by Helm on fabric8's mock API server (no real API server runs on
 * the build machines), then read back through fabric8 as an operator's tools would read it.
 */
class PlatformChartInstallTest {

    private static final Duration HELM_TIMEOUT = Duration.ofMinutes(2);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private String kubeconfig;

    @BeforeEach
    void startApiServer() {
        server = KubernetesMocks.startHelmServer();
        client = server.createClient();
        kubeconfig = KubernetesMocks.kubeconfig(server, "slipway");
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        server.destroy();
    }

    @Test
    void anInstallMakesEveryObjectAndKeysOfAtLeast32Characters() {
        Release release = helm(() -> install("slipway", "slipway", PlatformChart.minimalValues()));

        assertThat(release.getStatus()).isEqualTo("deployed");
        for (String svc : PlatformChartValuesTest.SERVICES) {
            var deployment = client.apps().deployments().inNamespace("slipway").withName("slipway-" + svc).get();
            assertThat(deployment).as(svc).isNotNull();
            assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("slipway-" + svc);
            assertThat(client.services().inNamespace("slipway").withName("slipway-" + svc).get()).isNotNull();
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace("slipway").withName("slipway-" + svc)
                    .get().getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        }
        assertThat(client.network().v1().ingresses().inNamespace("slipway").withName("slipway-upload").get()
                .getSpec().getRules().get(0).getHost()).isEqualTo("api.example.com");
        assertThat(client.network().v1().networkPolicies().inNamespace("slipway").list().getItems())
                .extracting(policy -> policy.getMetadata().getName())
                .containsExactlyInAnyOrder("slipway-platform", "slipway-upload", "slipway-metrics");
        NetworkPolicy jobs = client.network().v1().networkPolicies().inNamespace("slipway-staging")
                .withName("slipway-staging-jobs").get();
        assertThat(jobs.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(client.namespaces().withName("slipway-staging").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
        assertThat(client.secrets().inNamespace("slipway-staging").withName("slipway-s3").get()).isNotNull();

        Map<String, String> keys = keys("slipway");
        assertThat(keys).containsOnlyKeys("tokenKey", "secretsKey");
        assertThat(keys.values()).allSatisfy(key -> assertThat(key).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9]+"));
        assertThat(keys.get("tokenKey")).isNotEqualTo(keys.get("secretsKey"));
    }

    @Test
    void anUpgradeKeepsTheKeysMadeOnInstall() {
        helm(() -> install("slipway", "slipway", PlatformChart.minimalValues()));
        Map<String, String> installed = keys("slipway");

        Map<String, Object> values = PlatformChart.minimalValues();
        values.put("upload", Map.of("replicas", 3));
        Release upgraded = helm(() -> new Helm(PlatformChart.DIRECTORY).upgrade().withName("slipway")
                .withNamespace("slipway").withValuesFile(PlatformChart.valuesFile(values)).force()
                .disableOpenApiValidation().withKubeConfigContents(kubeconfig).call());

        assertThat(upgraded.getRevision()).isEqualTo("2");
        assertThat(client.apps().deployments().inNamespace("slipway").withName("slipway-upload").get().getSpec()
                .getReplicas()).isEqualTo(3);
        assertThat(keys("slipway")).isEqualTo(installed);
    }

    @Test
    void anotherInstallationGetsKeysOfItsOwn() {
        helm(() -> install("slipway", "slipway", PlatformChart.minimalValues()));
        Map<String, Object> values = PlatformChart.minimalValues();
        values.put("staging", Map.of("namespace", "other-staging"));
        helm(() -> install("slipway", "other", values));

        Map<String, String> first = keys("slipway");
        Map<String, String> second = keys("other");
        assertThat(second.get("tokenKey")).isNotEqualTo(first.get("tokenKey"));
        assertThat(second.get("secretsKey")).isNotEqualTo(first.get("secretsKey"));
    }

    private Release install(String name, String namespace, Map<String, Object> values) {
        return new Helm(PlatformChart.DIRECTORY).install().withName(name).withNamespace(namespace)
                .withValuesFile(PlatformChart.valuesFile(values)).disableOpenApiValidation()
                .withKubeConfigContents(kubeconfig).call();
    }

    private Map<String, String> keys(String namespace) {
        Secret secret = client.secrets().inNamespace(namespace).withName("slipway-keys").get();
        assertThat(secret).as("keys in %s", namespace).isNotNull();
        return Map.of("tokenKey", decode(secret.getData().get("tokenKey")),
                "secretsKey", decode(secret.getData().get("secretsKey")));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** Helm can hang on the mock: every call has a deadline. */
    private static <T> T helm(Supplier<T> call) {
        return assertTimeoutPreemptively(HELM_TIMEOUT, call::get);
    }
}
