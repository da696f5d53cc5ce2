package dev.slipway.install.chart;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a connection is allowed under a set of {@code networking.k8s.io/v1} NetworkPolicies, as a
 * CNI that enforces them decides: a pod selected by any policy of a direction (ingress, egress) takes
 * only what one of those policies' rules allow; a pod selected by none is open in that direction.
 * Covers pod and namespace selectors (matchLabels, matchExpressions), ipBlock with except, numeric
 * ports with protocol and endPort. Anything else in a policy is refused rather than guessed.
 *
 * @param namespaceLabels labels of each namespace ({@code kubernetes.io/metadata.name} is added)
 * @param policies        the policies as parsed YAML
 */
record NetworkPolicyEvaluator(Map<String, Map<String, String>> namespaceLabels, List<Map<String, Object>> policies) {

    /** A pod, or with a null namespace an address outside the cluster. */
    record Endpoint(String namespace, Map<String, String> labels, String ip) {

        static Endpoint outside(String ip) {
            return new Endpoint(null, Map.of(), ip);
        }
    }

    boolean allows(Endpoint from, Endpoint to, int port, String protocol) {
        return allowedBy(from, "Egress", "egress", "to", to, port, protocol)
                && allowedBy(to, "Ingress", "ingress", "from", from, port, protocol);
    }

    private boolean allowedBy(Endpoint subject, String type, String rulesKey, String peersKey, Endpoint other,
                              int port, String protocol) {
        if (subject.namespace() == null) {
            return true; // outside the cluster: no policy applies
        }
        List<Map<String, Object>> applying = policies.stream()
                .filter(policy -> subject.namespace().equals(PlatformChart.path(policy, "metadata", "namespace")))
                .filter(policy -> types(policy).contains(type))
                .filter(policy -> selects(PlatformChart.path(policy, "spec", "podSelector"), subject.labels()))
                .toList();
        if (applying.isEmpty()) {
            return true;
        }
        for (Map<String, Object> policy : applying) {
            String policyNamespace = PlatformChart.path(policy, "metadata", "namespace");
            List<Map<String, Object>> rules = PlatformChart.path(policy, "spec", rulesKey);
            for (Map<String, Object> rule : rules == null ? List.<Map<String, Object>>of() : rules) {
                checkKnown(rule.keySet(), Set.of(peersKey, "ports"), "rule");
                if (portMatches(rule.get("ports"), port, protocol) && peerMatches(rule.get(peersKey), policyNamespace, other)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> types(Map<String, Object> policy) {
        List<String> types = PlatformChart.path(policy, "spec", "policyTypes");
        if (types != null) {
            return types;
        }
        Object egress = PlatformChart.path(policy, "spec", "egress");
        return egress == null ? List.of("Ingress") : List.of("Ingress", "Egress");
    }

    @SuppressWarnings("unchecked")
    private boolean peerMatches(Object peers, String policyNamespace, Endpoint other) {
        if (peers == null || ((List<?>) peers).isEmpty()) {
            return true; // no peers listed: every source or destination
        }
        for (Map<String, Object> peer : (List<Map<String, Object>>) peers) {
            checkKnown(peer.keySet(), Set.of("podSelector", "namespaceSelector", "ipBlock"), "peer");
            if (peer.containsKey("ipBlock")) {
                if (inBlock((Map<String, Object>) peer.get("ipBlock"), other.ip())) {
                    return true;
                }
                continue;
            }
            if (other.namespace() == null) {
                continue; // selectors pick pods, never outside addresses
            }
            boolean namespaceMatches = peer.containsKey("namespaceSelector")
                    ? selects(peer.get("namespaceSelector"), labelsOf(other.namespace()))
                    : other.namespace().equals(policyNamespace);
            boolean podMatches = !peer.containsKey("podSelector") || selects(peer.get("podSelector"), other.labels());
            if (namespaceMatches && podMatches) {
                return true;
            }
        }
        return false;
    }

    private Map<String, String> labelsOf(String namespace) {
        Map<String, String> labels = new java.util.HashMap<>(namespaceLabels.getOrDefault(namespace, Map.of()));
        labels.put("kubernetes.io/metadata.name", namespace);
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static boolean portMatches(Object ports, int port, String protocol) {
        if (ports == null || ((List<?>) ports).isEmpty()) {
            return true;
        }
        for (Map<String, Object> entry : (List<Map<String, Object>>) ports) {
            checkKnown(entry.keySet(), Set.of("port", "protocol", "endPort"), "port");
            if (!protocol.equals(entry.getOrDefault("protocol", "TCP"))) {
                continue;
            }
            Object number = entry.get("port");
            if (number == null) {
                return true; // every port of the protocol
            }
            if (!(number instanceof Integer first)) {
                throw new UnsupportedOperationException("named port " + number + " is not evaluated");
            }
            int last = entry.get("endPort") instanceof Integer end ? end : first;
            if (port >= first && port <= last) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    static boolean selects(Object selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, Object> spec = (Map<String, Object>) selector;
        checkKnown(spec.keySet(), Set.of("matchLabels", "matchExpressions"), "selector");
        Map<String, Object> matchLabels = (Map<String, Object>) spec.getOrDefault("matchLabels", Map.of());
        for (var label : matchLabels.entrySet()) {
            if (!String.valueOf(label.getValue()).equals(labels.get(label.getKey()))) {
                return false;
            }
        }
        for (Map<String, Object> expression : (List<Map<String, Object>>) spec.getOrDefault("matchExpressions", List.of())) {
            String key = (String) expression.get("key");
            List<String> values = (List<String>) expression.getOrDefault("values", List.of());
            boolean holds = switch ((String) expression.get("operator")) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> throw new UnsupportedOperationException("operator " + expression.get("operator"));
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static boolean inBlock(Map<String, Object> block, String ip) {
        checkKnown(block.keySet(), Set.of("cidr", "except"), "ipBlock");
        if (!contains((String) block.get("cidr"), ip)) {
            return false;
        }
        for (String except : (List<String>) block.getOrDefault("except", List.of())) {
            if (contains(except, ip)) {
                return false;
            }
        }
        return true;
    }

    static boolean contains(String cidr, String ip) {
        try {
            byte[] network = InetAddress.getByName(cidr.substring(0, cidr.indexOf('/'))).getAddress();
            byte[] address = InetAddress.getByName(ip).getAddress();
            if (network.length != address.length) {
                return false;
            }
            int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
            int width = network.length * 8;
            BigInteger mask = bits == 0 ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(width - bits);
            return new BigInteger(1, network).and(mask).equals(new BigInteger(1, address).and(mask));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + cidr + " / " + ip, e);
        }
    }

    private static void checkKnown(Set<String> keys, Set<String> known, String what) {
        for (String key : keys) {
            if (!known.contains(key)) {
                throw new UnsupportedOperationException(what + " field " + key + " is not evaluated");
            }
        }
    }
}
