package dev.slipway.routing.ingress;

import dev.slipway.events.AppRef;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Route;
import dev.slipway.routing.RoutingProperties;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Makes an app's Ingresses match the routes it wants: refuses routes another owner holds, creates or
 * updates one Ingress per wanted route, removes the ones no longer wanted. Every step reads the
 * cluster, not a cache, so any number of replicas (and a redelivery) reach the same result; an
 * Ingress that is already as wanted is not written again.
 */
public final class IngressRoutes {

    private final KubernetesClient client;
    private final RoutingProperties properties;
    private final IngressManifests manifests;
    private final RouteClaims claims;

    public IngressRoutes(KubernetesClient client, RoutingProperties properties) {
        this.client = client;
        this.properties = properties;
        this.manifests = new IngressManifests(properties);
        this.claims = new RouteClaims(client, properties.claimsNamespace());
    }

    /** Applies {@code wanted} for {@code app} and answers the URLs, in the order of {@code wanted}. */
    public List<String> apply(AppRef app, List<Route> wanted) throws RoutingFailure {
        claimAll(app, wanted);
        List<Secret> secrets = properties.issuesCertificates() || wanted.isEmpty() ? List.of()
                : client.secrets().inNamespace(app.namespace()).list().getItems();
        Map<String, Ingress> current = ingressesOf(app).stream()
                .collect(Collectors.toMap(ingress -> ingress.getMetadata().getName(), ingress -> ingress));
        List<String> urls = new ArrayList<>();
        for (Route route : wanted) {
            String secret = TlsSecrets.choose(route.host(), secrets).orElse(null);
            Ingress desired = manifests.ingress(app, route, secret);
            Ingress existing = current.remove(desired.getMetadata().getName());
            if (existing == null) {
                client.network().v1().ingresses().inNamespace(app.namespace()).resource(desired).create();
            } else if (!sameAs(existing, desired)) {
                existing.getMetadata().setLabels(desired.getMetadata().getLabels());
                existing.getMetadata().setAnnotations(desired.getMetadata().getAnnotations());
                existing.setSpec(desired.getSpec());
                client.network().v1().ingresses().inNamespace(app.namespace()).resource(existing).update();
            }
            urls.add(route.url(IngressManifests.servesTls(desired), properties.publicPort()));
        }
        for (Ingress unwanted : current.values()) {
            remove(app, unwanted);
        }
        claims.releaseAllBut(app, wanted);
        return urls;
    }

    /** Removes every Ingress and route claim of a deleted app; nothing left is fine (a redelivery). */
    public void removeAll(AppRef app) {
        for (Ingress ingress : ingressesOf(app)) {
            remove(app, ingress);
        }
        claims.releaseAll(app);
    }

    /**
     * Every route must be free or the app's own: first among all Ingresses the service can see (some
     * were not made by Slipway), then by claiming it. Routes claimed here for a push that is refused
     * are given back, so a refused push takes nothing.
     */
    private void claimAll(AppRef app, List<Route> wanted) throws RoutingFailure {
        Map<String, RouteOwner> owners = ownersOfAllIngresses();
        List<Route> claimedNow = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (Route route : wanted) {
            RouteOwner owner = owners.get(route.toString());
            if (owner == null || owner.is(app)) {
                boolean mineBefore = owner != null;
                owner = claims.claim(route, app);
                if (owner.is(app) && !mineBefore) {
                    claimedNow.add(route);
                }
            }
            if (!owner.is(app)) {
                conflicts.add("route " + route + " belongs to " + owner.description());
            }
        }
        if (!conflicts.isEmpty()) {
            for (Route route : claimedNow) {
                claims.release(route, app);
            }
            throw new RoutingFailure(ReasonCodes.ROUTE_CONFLICT, String.join("; ", conflicts)
                    + ". Choose another route (--route) or remove it from the other app; " + app
                    + " keeps the routes it had");
        }
    }

    private Map<String, RouteOwner> ownersOfAllIngresses() {
        Map<String, RouteOwner> owners = new LinkedHashMap<>();
        for (Ingress ingress : client.network().v1().ingresses().inAnyNamespace().list().getItems()) {
            AppRef app = RouteLabels.owner(ingress.getMetadata().getLabels());
            RouteOwner owner = app != null ? RouteOwner.of(app)
                    : RouteOwner.foreign(ingress.getMetadata().getNamespace(), ingress.getMetadata().getName());
            for (String route : routesOf(ingress)) {
                owners.putIfAbsent(route, owner);
            }
        }
        return owners;
    }

    /** The host/path pairs an Ingress serves, spelled as {@link Route} spells them. */
    private static List<String> routesOf(Ingress ingress) {
        List<String> routes = new ArrayList<>();
        if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
            return routes;
        }
        for (IngressRule rule : ingress.getSpec().getRules()) {
            if (rule.getHost() == null || rule.getHttp() == null) {
                continue;
            }
            for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                String prefix = Optional.ofNullable(path.getPath()).orElse("/").replaceAll("/+$", "");
                routes.add(rule.getHost().toLowerCase(java.util.Locale.ROOT) + prefix);
            }
        }
        return routes;
    }

    private List<Ingress> ingressesOf(AppRef app) {
        return client.network().v1().ingresses().inNamespace(app.namespace()).withLabels(RouteLabels.of(app)).list()
                .getItems();
    }

    private void remove(AppRef app, Ingress ingress) {
        client.network().v1().ingresses().inNamespace(app.namespace()).withName(ingress.getMetadata().getName())
                .delete();
        String route = ingress.getMetadata().getAnnotations() == null ? null
                : ingress.getMetadata().getAnnotations().get(RouteLabels.ROUTE);
        if (route != null) {
            claims.release(Route.parse(route), app);
        }
    }

    private static boolean sameAs(Ingress existing, Ingress desired) {
        return Objects.equals(existing.getSpec(), desired.getSpec())
                && Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
                && Objects.equals(existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations());
    }
}
