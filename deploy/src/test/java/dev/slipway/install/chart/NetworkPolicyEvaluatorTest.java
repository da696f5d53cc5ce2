package dev.slipway.install.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.install.chart.NetworkPolicyEvaluator.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluator's own semantics, on policies small enough to check by hand. */
class NetworkPolicyEvaluatorTest {

    static final Endpoint WEB = new Endpoint("shop", Map.of("app", "web", "tier", "front"), "10.42.0.5");
    static final Endpoint DB = new Endpoint("shop", Map.of("app", "db"), "10.42.0.6");
    static final Endpoint OTHER = new Endpoint("other", Map.of("app", "web"), "10.42.9.9");

    @Test
    void withoutPoliciesEverythingIsOpen() {
        assertThat(new NetworkPolicyEvaluator(Map.of(), List.of()).allows(OTHER, DB, 5432, "TCP")).isTrue();
    }

    @Test
    void aPodSelectorPeerMeansTheSameNamespaceOnly() {
        var cluster = new NetworkPolicyEvaluator(Map.of(), List.of(ingress("shop", Map.of("app", "db"),
                List.of(Map.of("podSelector", Map.of("matchLabels", Map.of("app", "web")))),
                List.of(Map.of("port", 5432)))));

        assertThat(cluster.allows(WEB, DB, 5432, "TCP")).isTrue();
        assertThat(cluster.allows(WEB, DB, 5433, "TCP")).isFalse();
        assertThat(cluster.allows(WEB, DB, 5432, "UDP")).isFalse();
        assertThat(cluster.allows(OTHER, DB, 5432, "TCP")).as("same labels, other namespace").isFalse();
        assertThat(cluster.allows(DB, WEB, 80, "TCP")).as("web is selected by no policy").isTrue();
    }

    @Test
    void matchExpressionsAndNamespaceSelectorsCombine() {
        var cluster = new NetworkPolicyEvaluator(Map.of("other", Map.of("team", "blue")), List.of(ingress("shop",
                Map.of("app", "db"), List.of(Map.of("namespaceSelector", Map.of("matchLabels", Map.of("team", "blue")),
                        "podSelector", Map.of("matchExpressions", List.of(Map.of("key", "app", "operator", "In",
                                "values", List.of("web", "api")))))), null)));

        assertThat(cluster.allows(OTHER, DB, 5432, "TCP")).isTrue();
        assertThat(cluster.allows(new Endpoint("other", Map.of("app", "batch"), "10.42.9.8"), DB, 5432, "TCP")).isFalse();
        assertThat(cluster.allows(WEB, DB, 5432, "TCP")).as("shop has no team label").isFalse();
    }

    @Test
    void anIpBlockExceptCutsRangesOut() {
        assertThat(NetworkPolicyEvaluator.contains("0.0.0.0/0", "140.82.112.3")).isTrue();
        assertThat(NetworkPolicyEvaluator.contains("10.42.0.0/16", "10.42.255.1")).isTrue();
        assertThat(NetworkPolicyEvaluator.contains("10.42.0.0/16", "10.43.0.1")).isFalse();
        var cluster = new NetworkPolicyEvaluator(Map.of(), List.of(Map.of("metadata", Map.of("namespace", "shop"),
                "spec", Map.of("podSelector", Map.of(), "policyTypes", List.of("Egress"), "egress", List.of(Map.of(
                        "to", List.of(Map.of("ipBlock", Map.of("cidr", "0.0.0.0/0", "except", List.of("10.42.0.0/16"))))))))));

        assertThat(cluster.allows(WEB, Endpoint.outside("140.82.112.3"), 443, "TCP")).isTrue();
        assertThat(cluster.allows(WEB, OTHER, 80, "TCP")).isFalse();
    }

    @Test
    void whatItDoesNotEvaluateIsRefusedNotGuessed() {
        var namedPort = new NetworkPolicyEvaluator(Map.of(), List.of(ingress("shop", Map.of(), null,
                List.of(Map.of("port", "http")))));
        assertThatThrownBy(() -> namedPort.allows(WEB, DB, 80, "TCP")).hasMessageContaining("named port http");

        var unknownPeer = new NetworkPolicyEvaluator(Map.of(), List.of(ingress("shop", Map.of(),
                List.of(Map.of("serviceAccount", "x")), null)));
        assertThatThrownBy(() -> unknownPeer.allows(WEB, DB, 80, "TCP")).hasMessageContaining("peer field serviceAccount");
    }

    private static Map<String, Object> ingress(String namespace, Map<String, String> podLabels,
                                               List<Map<String, Object>> from, List<Map<String, Object>> ports) {
        Map<String, Object> rule = new java.util.HashMap<>();
        if (from != null) {
            rule.put("from", from);
        }
        if (ports != null) {
            rule.put("ports", ports);
        }
        return Map.of("metadata", Map.of("namespace", namespace), "spec", Map.of("podSelector",
                Map.of("matchLabels", podLabels), "policyTypes", List.of("Ingress"), "ingress", List.of(rule)));
    }
}
