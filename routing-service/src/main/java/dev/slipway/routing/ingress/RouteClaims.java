package dev.slipway.routing.ingress;

import dev.slipway.events.AppRef;
import dev.slipway.events.Route;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Map;

/**
 * One owner per route across the whole cluster. Ingresses live in their app's namespace, so their
 * names cannot collide across namespaces; a Lease named after the route in one namespace can, and
 * the API server creates only one of two racing Leases. The loser reads the winner's name.
 */
public final class RouteClaims {

    private final KubernetesClient client;
    private final String namespace;
    private volatile boolean namespaceReady;

    public RouteClaims(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Claims {@code route} for {@code app} unless someone holds it; answers the holder either way. */
    public RouteOwner claim(Route route, AppRef app) {
        ensureNamespace();
        Lease held = leases().withName(name(route)).get();
        if (held != null) {
            return holder(held);
        }
        Lease claim = new LeaseBuilder().withNewMetadata().withName(name(route)).withNamespace(namespace)
                .withLabels(RouteLabels.of(app)).withAnnotations(Map.of(RouteLabels.ROUTE, route.toString()))
                .endMetadata().withNewSpec().withHolderIdentity(app.toString()).endSpec().build();
        try {
            leases().resource(claim).create();
            return RouteOwner.of(app);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            Lease winner = leases().withName(name(route)).get();
            return winner == null ? claim(route, app) : holder(winner);  // released meanwhile: try again
        }
    }

    /** Gives the route up if {@code app} holds it. */
    public void release(Route route, AppRef app) {
        Lease held = leases().withName(name(route)).get();
        if (held != null && holder(held).is(app)) {
            leases().withName(name(route)).delete();
        }
    }

    /** Gives up the routes {@code app} holds but no longer wants (also claims left by an attempt that failed midway). */
    public void releaseAllBut(AppRef app, java.util.Collection<Route> wanted) {
        java.util.Set<String> keep = new java.util.HashSet<>();
        wanted.forEach(route -> keep.add(name(route)));
        for (Lease lease : leases().withLabels(RouteLabels.of(app)).list().getItems()) {
            if (!keep.contains(lease.getMetadata().getName())) {
                leases().withName(lease.getMetadata().getName()).delete();
            }
        }
    }

    /** Gives up every route {@code app} holds (the app was deleted). */
    public void releaseAll(AppRef app) {
        leases().withLabels(RouteLabels.of(app)).delete();
    }

    private RouteOwner holder(Lease lease) {
        AppRef app = RouteLabels.owner(lease.getMetadata().getLabels());
        return app != null ? RouteOwner.of(app)
                : new RouteOwner(null, "claim " + namespace + "/" + lease.getMetadata().getName());
    }

    private static String name(Route route) {
        return "route-" + RouteLabels.hash(route.toString(), 40);
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Lease, io.fabric8.kubernetes.api.model.coordination.v1.LeaseList,
            io.fabric8.kubernetes.client.dsl.Resource<Lease>> leases() {
        return client.resources(Lease.class, io.fabric8.kubernetes.api.model.coordination.v1.LeaseList.class)
                .inNamespace(namespace);
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
