package dev.slipway.install.chart;

import static dev.slipway.install.chart.PlatformChart.named;
import static dev.slipway.install.chart.PlatformChart.objects;
import static dev.slipway.install.chart.PlatformChart.ofKind;
import static dev.slipway.install.chart.PlatformChart.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.install.chart.NetworkPolicyEvaluator.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered NetworkPolicies (and the one Strimzi makes from {@code deploy/k8s/kafka/kafka.yaml}'s
 * listener) evaluated for a cluster of the platform, an app namespace, the staging Jobs, the ingress
 * controller, Kafka and the internet: the attacks are denied, what the platform needs is allowed.
 */
class PlatformNetworkPoliciesTest {

    static final Map<String, Integer> PORTS = Map.of("upload", 8080, "staging", 8081, "deploy", 8082, "routing", 8083);

    static final Endpoint APP = new Endpoint("workspace", Map.of("app.kubernetes.io/name", "hello",
            "slipway.dev/app", "hello"), "10.42.1.5");
    static final Endpoint STAGING_JOB = new Endpoint("slipway-staging", Map.of("job-name", "stage-1a2b",
            "batch.kubernetes.io/job-name", "stage-1a2b"), "10.42.2.5");
    static final Endpoint TRAEFIK = new Endpoint("kube-system", Map.of("app.kubernetes.io/name", "traefik"), "10.42.3.5");
    static final Endpoint DNS = new Endpoint("kube-system", Map.of("k8s-app", "kube-dns"), "10.42.3.6");
    static final Endpoint KAFKA = new Endpoint("kafka", Map.of("strimzi.io/cluster", "slipway-kafka",
            "strimzi.io/kind", "Kafka", "strimzi.io/name", "slipway-kafka-kafka"), "10.42.4.5");
    static final Endpoint MINIO = new Endpoint("minio", Map.of("app", "minio"), "10.42.5.5");
    static final Endpoint GITHUB = Endpoint.outside("140.82.112.3");

    @Test
    void anAppReachesNoServicePortAndNotKafka() throws IOException {
        var cluster = cluster(PlatformChart.fixedValues());

        for (var platform : platformPods(PlatformChart.fixedValues()).entrySet()) {
            assertThat(cluster.allows(APP, platform.getValue(), PORTS.get(platform.getKey()), "TCP"))
                    .as("app -> %s", platform.getKey()).isFalse();
        }
        assertThat(cluster.allows(APP, KAFKA, 9092, "TCP")).as("app -> kafka").isFalse();
    }

    @Test
    void aStagingJobReachesNoServiceAndNotKafkaNorApps() throws IOException {
        var cluster = cluster(PlatformChart.fixedValues());

        for (var platform : platformPods(PlatformChart.fixedValues()).entrySet()) {
            assertThat(cluster.allows(STAGING_JOB, platform.getValue(), PORTS.get(platform.getKey()), "TCP"))
                    .as("staging job -> %s", platform.getKey()).isFalse();
        }
        assertThat(cluster.allows(STAGING_JOB, KAFKA, 9092, "TCP")).as("staging job -> kafka").isFalse();
        assertThat(cluster.allows(STAGING_JOB, APP, 8080, "TCP")).as("staging job -> app").isFalse();
        assertThat(cluster.allows(STAGING_JOB, TRAEFIK, 80, "TCP")).as("staging job -> ingress controller").isFalse();
    }

    @Test
    void aStagingJobReachesNeitherTheNodesNorCloudMetadata() throws IOException {
        var cluster = cluster(PlatformChart.fixedValues());

        // outside the pod and service ranges, yet inside the cluster's reach: what a build must not touch
        assertThat(cluster.allows(STAGING_JOB, Endpoint.outside("169.254.169.254"), 80, "TCP")).as("metadata").isFalse();
        assertThat(cluster.allows(STAGING_JOB, Endpoint.outside("192.168.1.10"), 10250, "TCP")).as("kubelet").isFalse();
        assertThat(cluster.allows(STAGING_JOB, Endpoint.outside("172.31.4.2"), 6443, "TCP")).as("API server").isFalse();
        assertThat(cluster.allows(STAGING_JOB, Endpoint.outside("10.0.0.7"), 30080, "TCP")).as("NodePort").isFalse();
        assertThat(cluster.allows(STAGING_JOB, GITHUB, 443, "TCP")).as("the internet stays open").isTrue();
    }

    @Test
    void aStagingJobReachesDnsAndTheOutsideButNobodyReachesIt() throws IOException {
        var values = PlatformChart.fixedValues();
        var cluster = cluster(values);

        assertThat(cluster.allows(STAGING_JOB, DNS, 53, "UDP")).isTrue();
        assertThat(cluster.allows(STAGING_JOB, DNS, 53, "TCP")).isTrue();
        assertThat(cluster.allows(STAGING_JOB, GITHUB, 443, "TCP")).as("buildpacks download").isTrue();
        assertThat(cluster.allows(STAGING_JOB, DNS, 9153, "TCP")).as("only DNS of kube-dns").isFalse();
        assertThat(cluster.allows(STAGING_JOB, MINIO, 9000, "TCP")).as("the default S3 (MinIO in minio)").isTrue();
        assertThat(cluster.allows(STAGING_JOB, MINIO, 9001, "TCP")).as("its console").isFalse();
        for (Endpoint platform : platformPods(values).values()) {
            assertThat(cluster.allows(platform, STAGING_JOB, 8080, "TCP")).isFalse();
        }
        assertThat(cluster.allows(APP, STAGING_JOB, 8080, "TCP")).isFalse();
    }

    @Test
    void anS3OrRegistryInTheClusterIsReachedFromStagingJobsOnlyWhereTheValuesAdmitIt() throws IOException {
        Endpoint registry = new Endpoint("registry", Map.of("app", "registry"), "10.42.7.5");
        var values = PlatformChart.fixedValues();
        values.put("networkPolicies", Map.of("stagingEgress", Map.of(
                "s3", Map.of("peers", List.of(), "ports", List.of()),
                "registry", Map.of("peers", List.of(Map.of("namespaceSelector", Map.of("matchLabels",
                                Map.of("kubernetes.io/metadata.name", "registry")))),
                        "ports", List.of(Map.of("port", 5000, "protocol", "TCP"))))));
        var cluster = cluster(values);

        assertThat(cluster.allows(STAGING_JOB, MINIO, 9000, "TCP")).as("S3 admitted no more").isFalse();
        assertThat(cluster.allows(STAGING_JOB, registry, 5000, "TCP")).isTrue();
        assertThat(cluster.allows(STAGING_JOB, registry, 5001, "TCP")).isFalse();
        assertThat(cluster.allows(STAGING_JOB, KAFKA, 9092, "TCP")).isFalse();
    }

    @Test
    void theIngressControllerReachesUploadsPortAndNothingElse() throws IOException {
        var values = PlatformChart.fixedValues();
        var cluster = cluster(values);
        var platform = platformPods(values);

        assertThat(cluster.allows(TRAEFIK, platform.get("upload"), 8080, "TCP")).isTrue();
        for (String svc : List.of("staging", "deploy", "routing")) {
            assertThat(cluster.allows(TRAEFIK, platform.get(svc), PORTS.get(svc), "TCP")).as("traefik -> %s", svc)
                    .isFalse();
        }
        assertThat(cluster.allows(TRAEFIK, KAFKA, 9092, "TCP")).isFalse();
    }

    @Test
    void anotherIngressControllerNamespaceMovesTheOpening() throws IOException {
        var values = PlatformChart.fixedValues();
        values.put("networkPolicies", Map.of("ingressControllerNamespace", "traefik"));
        var cluster = cluster(values);
        var upload = platformPods(values).get("upload");

        assertThat(cluster.allows(new Endpoint("traefik", Map.of("app.kubernetes.io/name", "traefik"), "10.42.6.5"),
                upload, 8080, "TCP")).isTrue();
        assertThat(cluster.allows(TRAEFIK, upload, 8080, "TCP")).as("kube-system no longer").isFalse();
    }

    @Test
    void prometheusReachesEveryPodsMetricsPortAndNothingElseWhileAppsReachNeither() throws IOException {
        var values = PlatformChart.fixedValues();
        var cluster = cluster(values);
        Endpoint prometheus = new Endpoint("monitoring", Map.of("app.kubernetes.io/name", "prometheus"), "10.42.7.5");

        for (var platform : platformPods(values).entrySet()) {
            assertThat(cluster.allows(prometheus, platform.getValue(), 9090, "TCP")).as("prometheus -> %s metrics",
                    platform.getKey()).isTrue();
            assertThat(cluster.allows(prometheus, platform.getValue(), PORTS.get(platform.getKey()), "TCP"))
                    .as("prometheus -> %s API", platform.getKey()).isFalse();
            assertThat(cluster.allows(APP, platform.getValue(), 9090, "TCP")).as("app -> %s metrics",
                    platform.getKey()).isFalse();
            assertThat(cluster.allows(TRAEFIK, platform.getValue(), 9090, "TCP")).as("traefik -> %s metrics",
                    platform.getKey()).isFalse();
        }
        assertThat(cluster.allows(prometheus, KAFKA, 9092, "TCP")).isFalse();
    }

    @Test
    void platformPodsReachEachOtherAndKafka() throws IOException {
        var values = PlatformChart.fixedValues();
        var cluster = cluster(values);
        var platform = platformPods(values);

        for (var from : platform.entrySet()) {
            for (var to : platform.entrySet()) {
                assertThat(cluster.allows(from.getValue(), to.getValue(), PORTS.get(to.getKey()), "TCP"))
                        .as("%s -> %s", from.getKey(), to.getKey()).isTrue();
            }
            assertThat(cluster.allows(from.getValue(), KAFKA, 9092, "TCP")).as("%s -> kafka", from.getKey()).isTrue();
        }
    }

    @Test
    void anotherReleaseInTheSameNamespaceIsNotThePlatform() throws IOException {
        // a second release (a test installation beside production) must not reach production's pods
        var cluster = cluster(PlatformChart.fixedValues());
        Endpoint stranger = new Endpoint("slipway", Map.of("app.kubernetes.io/name", "slipway",
                "app.kubernetes.io/component", "upload", "app.kubernetes.io/instance", "other"), "10.42.0.99");

        assertThat(cluster.allows(stranger, platformPods(PlatformChart.fixedValues()).get("deploy"), 8082, "TCP"))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theEvaluatorSeesTheHoleWhenAPolicyIsMissingOrTooWide(boolean drop) throws IOException {
        // without this the tests above could pass for an evaluator that denies everything
        var values = PlatformChart.fixedValues();
        List<Map<String, Object>> policies = new ArrayList<>(renderedPolicies(values));
        if (drop) {
            policies.removeIf(policy -> List.of("slipway-platform", "slipway-upload", "slipway-metrics")
                    .contains(path(policy, "metadata", "name")));
        } else {
            Map<String, Object> wide = new LinkedHashMap<>(named(policies, "NetworkPolicy", "slipway-upload"));
            wide.put("spec", Map.of("podSelector", Map.of(), "policyTypes", List.of("Ingress"),
                    "ingress", List.of(Map.of("from", List.of(Map.of("namespaceSelector", Map.of()))))));
            policies.add(wide);
        }
        var cluster = new NetworkPolicyEvaluator(Map.of(), policies);

        assertThat(cluster.allows(APP, platformPods(values).get("deploy"), 8082, "TCP")).isTrue();
    }

    @Test
    void noPoliciesAreRenderedWhenTurnedOff() {
        var values = PlatformChart.fixedValues();
        values.put("networkPolicies", Map.of("enabled", false));

        assertThat(ofKind(objects(PlatformChart.template(values)), "NetworkPolicy")).isEmpty();
    }

    /** The platform's pods as their Deployments label them. */
    static Map<String, Endpoint> platformPods(Map<String, Object> values) {
        var objects = objects(PlatformChart.template(values));
        Map<String, Endpoint> pods = new LinkedHashMap<>();
        int host = 10;
        for (String svc : PlatformChartValuesTest.SERVICES) {
            Map<String, String> labels = path(named(objects, "Deployment", "slipway-" + svc), "spec", "template",
                    "metadata", "labels");
            pods.put(svc, new Endpoint("slipway", labels, "10.42.0." + host++));
        }
        return pods;
    }

    static NetworkPolicyEvaluator cluster(Map<String, Object> values) throws IOException {
        List<Map<String, Object>> policies = new ArrayList<>(renderedPolicies(values));
        policies.add(strimziListenerPolicy());
        return new NetworkPolicyEvaluator(Map.of(), policies);
    }

    static List<Map<String, Object>> renderedPolicies(Map<String, Object> values) {
        return ofKind(objects(PlatformChart.template(values)), "NetworkPolicy");
    }

    /**
     * What Strimzi makes of the {@code plain} listener of {@code kafka.yaml}: a policy on the brokers
     * admitting the listener's {@code networkPolicyPeers} to its port.
     */
    static Map<String, Object> strimziListenerPolicy() throws IOException {
        var kafka = named(objects(Files.readString(PlatformChart.ROOT.resolve("deploy/k8s/kafka/kafka.yaml"))),
                "Kafka", "slipway-kafka");
        List<Map<String, Object>> listeners = path(kafka, "spec", "kafka", "listeners");
        Map<String, Object> plain = listeners.stream().filter(listener -> "plain".equals(listener.get("name")))
                .findFirst().orElseThrow();
        assertThat(plain.get("networkPolicyPeers")).as("the listener must name who may connect").isNotNull();
        return Map.of("metadata", Map.of("name", "slipway-kafka-network-policy-kafka", "namespace", "kafka"),
                "spec", Map.of("podSelector", Map.of("matchLabels", Map.of("strimzi.io/cluster", "slipway-kafka",
                                "strimzi.io/kind", "Kafka")),
                        "policyTypes", List.of("Ingress"),
                        "ingress", List.of(Map.of("from", plain.get("networkPolicyPeers"),
                                "ports", List.of(Map.of("port", plain.get("port"), "protocol", "TCP"))))));
    }
}
