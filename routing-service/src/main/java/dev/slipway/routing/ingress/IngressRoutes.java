package dev.slipway.routing.ingress;

import dev.slipway.events.AppRef;
import dev.slipway.events.Route;
import dev.slipway.routing.RouteConflicts;
import dev.slipway.routing.RoutingFailure;
import dev.slipway.routing.RoutingProperties;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Makes an app's Ingresses match the routes it wants: refuses hosts another namespace holds and
 * routes another app holds, creates or
 * updates one Ingress per wanted route, removes the ones no longer wanted. Every step reads the
 * cluster, not a cache, so any number of replicas (and a redelivery) reach the same result; an
 * Ingress that is already as wanted is not written again.
 */
public final class IngressRoutes {

    private final KubernetesClient client;
    private final RoutingProperties properties;
    private final IngressManifests manifests;
    private final HostClaims claims;

    public IngressRoutes(KubernetesClient client, RoutingProperties properties) {
        this.client = client;
        this.properties = properties;
        this.manifests = new IngressManifests(properties);
        this.claims = new HostClaims(client, properties.claimsNamespace());
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
        claims.releaseAllBut(app, List.of());
    }

    /**
     * Every host must be free or the app's namespace's, and every route free or the app's own: first
     * among all Ingresses the service can see (some were not made by Slipway), then by claiming the
     * host. Routes claimed here for a push that is refused are given back, so a refused push takes
     * nothing.
     */
    private void claimAll(AppRef app, List<Route> wanted) throws RoutingFailure {
        Map<String, RouteOwner> owners = new LinkedHashMap<>();
        Map<String, Set<String>> hostNamespaces = new HashMap<>();
        readAllIngresses(owners, hostNamespaces);
        RouteConflicts conflicts = new RouteConflicts(app);
        Map<String, List<Route>> byHost = new LinkedHashMap<>();
        for (Route route : wanted) {
            if (hostNamespaces.getOrDefault(route.host(), Set.of()).stream()
                    .anyMatch(namespace -> !namespace.equals(app.namespace()))) {
                conflicts.hostOfAnotherNamespace(route.host());
                continue;
            }
            RouteOwner owner = owners.get(route.toString());
            if (owner != null && !owner.is(app)) {
                conflicts.routeOf(route, owner.description());
                continue;
            }
            byHost.computeIfAbsent(route.host(), host -> new ArrayList<>()).add(route);
        }
        Map<String, Set<String>> claimedNow = new LinkedHashMap<>();
        if (conflicts.isEmpty()) {
            for (Map.Entry<String, List<Route>> host : byHost.entrySet()) {
                HostClaims.Outcome outcome = claims.claim(host.getKey(), app, host.getValue());
                if (outcome.foreignHost()) {
                    conflicts.hostOfAnotherNamespace(host.getKey());
                }
                outcome.otherApps().forEach((path, other) -> conflicts.routeOf(new Route(host.getKey(),
                        "/".equals(path) ? "" : path), "app " + new AppRef(app.namespace(), other)));
                if (outcome.refused()) {
                    break;
                }
                claimedNow.put(host.getKey(), outcome.taken());
            }
        }
        if (!conflicts.isEmpty()) {
            claimedNow.forEach((host, paths) -> claims.release(host, app, paths));
            throw conflicts.failure();
        }
    }

    /** Who holds each route, and which namespaces hold Ingresses on each host, among all Ingresses. */
    private void readAllIngresses(Map<String, RouteOwner> owners, Map<String, Set<String>> hostNamespaces) {
        for (Ingress ingress : client.network().v1().ingresses().inAnyNamespace().list().getItems()) {
            if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
                continue;
            }
            AppRef app = RouteLabels.owner(ingress.getMetadata().getLabels());
            RouteOwner owner = app != null ? RouteOwner.of(app)
                    : RouteOwner.foreign(ingress.getMetadata().getNamespace(), ingress.getMetadata().getName());
            for (IngressRule rule : ingress.getSpec().getRules()) {
                if (rule.getHost() == null) {
                    continue;
                }
                String host = rule.getHost().toLowerCase(Locale.ROOT);
                hostNamespaces.computeIfAbsent(host, any -> new HashSet<>()).add(ingress.getMetadata().getNamespace());
                for (HTTPIngressPath path : rule.getHttp() == null ? List.<HTTPIngressPath>of()
                        : rule.getHttp().getPaths()) {
                    try {
                        owners.putIfAbsent(Route.parse(host + Optional.ofNullable(path.getPath()).orElse("/"))
                                .toString(), owner);
                    } catch (IllegalArgumentException notARoute) {
                        // a regular expression path: no Slipway route spells it, the host check covers it
                    }
                }
            }
        }
    }

    private List<Ingress> ingressesOf(AppRef app) {
        return client.network().v1().ingresses().inNamespace(app.namespace()).withLabels(RouteLabels.of(app)).list()
                .getItems();
    }

    private void remove(AppRef app, Ingress ingress) {
        client.network().v1().ingresses().inNamespace(app.namespace()).withName(ingress.getMetadata().getName())
                .delete();
    }

    private static boolean sameAs(Ingress existing, Ingress desired) {
        return Objects.equals(existing.getSpec(), desired.getSpec())
                && Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())
                && Objects.equals(existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations());
    }
}
