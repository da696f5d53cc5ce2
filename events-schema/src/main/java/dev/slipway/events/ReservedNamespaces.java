package dev.slipway.events;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Namespaces no app may be pushed to: Kubernetes' own, the default namespace, the platform's, and
 * whatever the operator adds ({@value #SETTING}). The API refuses them and deploy-service refuses
 * them again, so an app named like a system component never lands beside it.
 */
public final class ReservedNamespaces {

    /** Always reserved, whatever the setting says; every {@code kube-*} namespace is reserved too. */
    public static final List<String> ALWAYS = List.of("kube-system", "kube-public", "kube-node-lease", "default",
            "slipway", "slipway-staging");
    /** The setting that adds reserved namespaces. */
    public static final String SETTING = "slipway.namespaces.reserved";

    private final Set<String> reserved;

    private ReservedNamespaces(Set<String> reserved) {
        this.reserved = reserved;
    }

    public static ReservedNamespaces with(List<String> extra) {
        Set<String> all = new TreeSet<>(ALWAYS);
        if (extra != null) {
            extra.stream().map(String::trim).filter(name -> !name.isEmpty()).forEach(all::add);
        }
        return new ReservedNamespaces(Set.copyOf(all));
    }

    public boolean isReserved(String namespace) {
        return namespace != null && (reserved.contains(namespace) || namespace.startsWith("kube-"));
    }

    /** Why apps may not go to {@code namespace}, or empty when they may. */
    public Optional<String> refusal(String namespace) {
        if (!isReserved(namespace)) {
            return Optional.empty();
        }
        return Optional.of("namespace " + namespace + " is reserved for the cluster or the platform (reserved: "
                + String.join(", ", new TreeSet<>(reserved)) + ", kube-*; more in " + SETTING
                + "); push the app to a namespace of its own, such as workspace");
    }
}
