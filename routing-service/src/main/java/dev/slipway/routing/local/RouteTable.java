package dev.slipway.routing.local;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.Route;
import dev.slipway.routing.RouteConflicts;
import dev.slipway.routing.RoutingFailure;
import dev.slipway.routing.WantedRoutes;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which app's instances answer which route: the local router's equivalent of the cluster's
 * Ingresses. Each host has one namespace and each route one owner; a deploy names all of an app's routes and endpoints at once,
 * so applying it replaces the app's previous entry whole.
 */
public final class RouteTable {

    private record Entry(AppRef app, List<String> endpoints, AtomicInteger next) {
    }

    private final Map<Route, Entry> routes = new LinkedHashMap<>();
    private final Map<AppRef, OffsetDateTime> lastChange = new LinkedHashMap<>();
    private final WantedRoutes wantedRoutes;

    public RouteTable(WantedRoutes wantedRoutes) {
        this.wantedRoutes = wantedRoutes;
    }

    /**
     * Takes the deployed app's routes (refusing any another app holds) and answers them. Different
     * pushes of one app travel in different partitions, so a fold of the log may meet them out of
     * order: a change older than the app's last one is answered but not applied.
     */
    public synchronized List<Route> apply(AppDeployed deployed, OffsetDateTime at) throws RoutingFailure {
        OffsetDateTime last = lastChange.get(deployed.app());
        if (last != null && !at.isAfter(last)) {
            return wanted(deployed);
        }
        lastChange.put(deployed.app(), at);
        Entry entry = new Entry(deployed.app(), deployed.endpoints(), new AtomicInteger());
        List<Route> wanted;
        try {
            wanted = wanted(deployed);
        } catch (RoutingFailure invalid) {
            keepServing(entry);
            throw invalid;
        }
        RouteConflicts conflicts = new RouteConflicts(deployed.app());
        for (Route route : wanted) {
            Entry owner = routes.get(route);
            if (heldByAnotherNamespace(route.host(), deployed.app().namespace())) {
                conflicts.hostOfAnotherNamespace(route.host());
            } else if (owner != null && !owner.app().equals(deployed.app())) {
                conflicts.routeOf(route, "app " + owner.app());
            }
        }
        if (!conflicts.isEmpty()) {
            keepServing(entry);
            throw conflicts.failure();
        }
        routes.values().removeIf(existing -> existing.app().equals(deployed.app()));
        wanted.forEach(route -> routes.put(route, entry));
        return wanted;
    }

    /**
     * A host belongs to the namespace of the routes on it: the first to route it holds it until its
     * last route there goes, as the table never lets a second namespace in.
     */
    private boolean heldByAnotherNamespace(String host, String namespace) {
        return routes.entrySet().stream().anyMatch(route -> route.getKey().host().equals(host)
                && !route.getValue().app().namespace().equals(namespace));
    }

    /**
     * A refused deploy still runs: its instances replaced the old ones, so the routes the app keeps
     * must lead to them.
     */
    private void keepServing(Entry entry) {
        routes.replaceAll((route, existing) -> existing.app().equals(entry.app()) ? entry : existing);
    }

    /** Unroutes a deleted app, unless it was deployed again after {@code at}. */
    public synchronized void remove(AppRef app, OffsetDateTime at) {
        OffsetDateTime last = lastChange.get(app);
        if (last != null && !at.isAfter(last)) {
            return;
        }
        lastChange.put(app, at);
        routes.values().removeIf(entry -> entry.app().equals(app));
    }

    /** When the app's entry last changed (a deploy or a removal applied); empty when it never did. */
    public synchronized Optional<OffsetDateTime> lastChange(AppRef app) {
        return Optional.ofNullable(lastChange.get(app));
    }

    /** The routes {@code app} holds now, in the table's order, and where they lead. */
    public synchronized AppRoutes entryOf(AppRef app, String lastEventId, AppRoutes.Refusal refusal) {
        List<Route> held = new java.util.ArrayList<>();
        List<String> endpoints = List.of();
        for (Map.Entry<Route, Entry> route : routes.entrySet()) {
            if (route.getValue().app().equals(app)) {
                held.add(route.getKey());
                endpoints = route.getValue().endpoints();
            }
        }
        return new AppRoutes(app, held, endpoints, lastChange.get(app), lastEventId, refusal);
    }

    /**
     * Puts back an entry as it was decided before a restart: no conflict check, as the table that
     * decided it checked; the app's later changes apply on top of it.
     */
    public synchronized void restore(AppRoutes entry) {
        routes.values().removeIf(existing -> existing.app().equals(entry.app()));
        Entry restored = new Entry(entry.app(), entry.endpoints(), new AtomicInteger());
        entry.routes().forEach(route -> routes.put(route, restored));
        lastChange.put(entry.app(), entry.changedAt());
    }

    /**
     * The endpoint to send a request for {@code host} and {@code path} to: the route with the
     * longest matching path prefix, its instances in turn.
     */
    public synchronized Optional<String> endpointFor(String host, String path) {
        return entryFor(host, path).filter(entry -> !entry.endpoints().isEmpty()).map(entry -> entry.endpoints()
                .get(Math.floorMod(entry.next().getAndIncrement(), entry.endpoints().size())));
    }

    /** The app routed at {@code host} and {@code path}, whether or not any instance of it runs. */
    public synchronized Optional<AppRef> appAt(String host, String path) {
        return entryFor(host, path).map(Entry::app);
    }

    private Optional<Entry> entryFor(String host, String path) {
        String wantedHost = host.toLowerCase(Locale.ROOT);
        Route best = null;
        for (Route route : routes.keySet()) {
            if (route.host().equals(wantedHost) && prefixOf(route.path(), path)
                    && (best == null || route.path().length() > best.path().length())) {
                best = route;
            }
        }
        return Optional.ofNullable(best).map(routes::get);
    }

    private List<Route> wanted(AppDeployed deployed) throws RoutingFailure {
        return wantedRoutes.of(deployed);
    }

    private static boolean prefixOf(String prefix, String path) {
        return prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
