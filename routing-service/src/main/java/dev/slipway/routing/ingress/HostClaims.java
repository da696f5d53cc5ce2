package dev.slipway.routing.ingress;

import dev.slipway.events.AppRef;
import dev.slipway.events.Route;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One namespace per host, one app per route, across the whole cluster and every replica. Each host
 * that carries routes has a Lease in the claims namespace, named after the host, held by its
 * namespace and listing its routes and their apps. Every change is a compare-and-set on the API
 * server: a Lease is created by one of two racing replicas only, updated only at the version that
 * was read, and deleted (when the host's last route goes) only at that version too; a loser reads
 * again and decides again. So two namespaces racing for a host never both get it, and a route
 * taken while the host is being given up is never lost with it.
 */
public final class HostClaims {

    /** Compare-and-set rounds before giving up on a host that keeps changing under us. */
    private static final int ROUNDS = 50;

    private final KubernetesClient client;
    private final String namespace;
    private volatile boolean namespaceReady;

    public HostClaims(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * What a claim found: the paths taken now (to give back if the deploy is refused), or why it was
     * refused: the host is another namespace's, or paths are other apps' of the same namespace.
     */
    public record Outcome(Set<String> taken, boolean foreignHost, Map<String, String> otherApps) {

        public boolean refused() {
            return foreignHost || !otherApps.isEmpty();
        }
    }

    /** Takes {@code routes} (all on {@code host}) for {@code app}, all or none. */
    public Outcome claim(String host, AppRef app, Collection<Route> routes) {
        ensureNamespace();
        Set<String> paths = new LinkedHashSet<>();
        routes.forEach(route -> paths.add(route.pathPrefix()));
        for (int round = 0; round < ROUNDS; round++) {
            Lease lease = leases().withName(name(host)).get();
            if (lease == null) {
                Map<String, String> entries = new TreeMap<>();
                paths.forEach(path -> entries.put(path, app.name()));
                if (created(lease(host, app.namespace(), entries))) {
                    return new Outcome(paths, false, Map.of());
                }
                continue;  // another replica made it first: read what it holds
            }
            if (!app.namespace().equals(holder(lease))) {
                return new Outcome(Set.of(), true, Map.of());
            }
            Map<String, String> entries = entries(lease);
            Map<String, String> others = new TreeMap<>();
            Set<String> taken = new LinkedHashSet<>();
            for (String path : paths) {
                String owner = entries.get(path);
                if (owner == null) {
                    taken.add(path);
                } else if (!owner.equals(app.name())) {
                    others.put(path, owner);
                }
            }
            if (!others.isEmpty()) {
                return new Outcome(Set.of(), false, others);
            }
            if (taken.isEmpty()) {
                return new Outcome(taken, false, Map.of());
            }
            taken.forEach(path -> entries.put(path, app.name()));
            if (updated(lease, entries)) {
                return new Outcome(taken, false, Map.of());
            }
        }
        throw contended(host);
    }

    /** Gives back {@code paths} of {@code host} if {@code app} holds them (a refused deploy's claims). */
    public void release(String host, AppRef app, Collection<String> paths) {
        remove(host, app, paths::contains);
    }

    /** Gives up the routes {@code app} holds but no longer wants; a host left without routes is free. */
    public void releaseAllBut(AppRef app, Collection<Route> wanted) {
        Map<String, Set<String>> keep = new HashMap<>();
        wanted.forEach(route -> keep.computeIfAbsent(route.host(), host -> new LinkedHashSet<>())
                .add(route.pathPrefix()));
        List<Lease> held = leases().withLabels(Map.of(RouteLabels.MANAGED_BY, RouteLabels.SLIPWAY,
                RouteLabels.NAMESPACE, app.namespace())).list().getItems();
        for (Lease lease : held) {
            String host = host(lease);
            Set<String> kept = keep.getOrDefault(host, Set.of());
            if (host != null && entries(lease).entrySet().stream().anyMatch(entry -> entry.getValue()
                    .equals(app.name()) && !kept.contains(entry.getKey()))) {
                remove(host, app, path -> !kept.contains(path));
            }
        }
    }

    private void remove(String host, AppRef app, Predicate<String> unwanted) {
        for (int round = 0; round < ROUNDS; round++) {
            Lease lease = leases().withName(name(host)).get();
            if (lease == null || !app.namespace().equals(holder(lease))) {
                return;
            }
            Map<String, String> entries = entries(lease);
            if (!entries.entrySet().removeIf(entry -> entry.getValue().equals(app.name())
                    && unwanted.test(entry.getKey()))) {
                return;
            }
            if (entries.isEmpty() ? deleted(lease) : updated(lease, entries)) {
                return;
            }
        }
        throw contended(host);
    }

    private Lease lease(String host, String holder, Map<String, String> entries) {
        return new LeaseBuilder().withNewMetadata().withName(name(host)).withNamespace(namespace)
                .withLabels(Map.of(RouteLabels.MANAGED_BY, RouteLabels.SLIPWAY, RouteLabels.NAMESPACE, holder))
                .withAnnotations(Map.of(RouteLabels.HOST, host, RouteLabels.ROUTES, format(entries)))
                .endMetadata().withNewSpec().withHolderIdentity(holder).endSpec().build();
    }

    private boolean created(Lease lease) {
        try {
            leases().resource(lease).create();
            return true;
        } catch (KubernetesClientException e) {
            return lost(e);
        }
    }

    /** Writes {@code entries} over the version of {@code lease} that was read; false when it changed since. */
    private boolean updated(Lease lease, Map<String, String> entries) {
        Map<String, String> annotations = new HashMap<>(lease.getMetadata().getAnnotations());
        annotations.put(RouteLabels.ROUTES, format(entries));
        lease.getMetadata().setAnnotations(annotations);
        try {
            leases().resource(lease).update();  // carries the resourceVersion read: a compare-and-set
            return true;
        } catch (KubernetesClientException e) {
            return lost(e);
        }
    }

    /** Deletes the version of {@code lease} that was read; false when it changed since. */
    private boolean deleted(Lease lease) {
        try {
            leases().withName(lease.getMetadata().getName())
                    .lockResourceVersion(lease.getMetadata().getResourceVersion()).delete();
            return true;
        } catch (KubernetesClientException e) {
            return lost(e);
        }
    }

    /** A 409 means someone else wrote first: read again. Anything else is the caller's problem. */
    private static boolean lost(KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
            throw e;
        }
        return false;
    }

    private static String holder(Lease lease) {
        return lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static String host(Lease lease) {
        return lease.getMetadata().getAnnotations() == null ? null
                : lease.getMetadata().getAnnotations().get(RouteLabels.HOST);
    }

    /** Path prefix to app name, one {@code <path> <app>} a line (neither can hold a blank). */
    private static Map<String, String> entries(Lease lease) {
        Map<String, String> entries = new TreeMap<>();
        String lines = lease.getMetadata().getAnnotations() == null ? null
                : lease.getMetadata().getAnnotations().get(RouteLabels.ROUTES);
        if (lines != null) {
            for (String line : lines.split("\n")) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    entries.put(parts[0], parts[1]);
                }
            }
        }
        return entries;
    }

    private static String format(Map<String, String> entries) {
        StringBuilder lines = new StringBuilder();
        entries.forEach((path, app) -> lines.append(path).append(' ').append(app).append('\n'));
        return lines.toString();
    }

    private static IllegalStateException contended(String host) {
        return new IllegalStateException("the claim of host " + host + " kept changing under " + ROUNDS
                + " attempts to update it");
    }

    static String name(String host) {
        return "host-" + RouteLabels.hash(host, 40);
    }

    private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases() {
        return client.resources(Lease.class, LeaseList.class).inNamespace(namespace);
    }

    private void ensureNamespace() {
        if (namespaceReady) {
            return;
        }
        if (client.namespaces().withName(namespace).get() == null) {
            try {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                        .addToLabels(RouteLabels.MANAGED_BY, RouteLabels.SLIPWAY).endMetadata().build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }
        namespaceReady = true;
    }
}
