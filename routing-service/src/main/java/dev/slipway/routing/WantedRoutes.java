package dev.slipway.routing;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.ReservedHosts;
import dev.slipway.events.ReservedNamespaces;
import dev.slipway.events.Route;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The routes a deployed app wants: {@code <app>.<system-domain>} unless turned off, then its custom
 * ones; refused whole when one is not a route or names a host the platform keeps for itself, and
 * for an app of a reserved namespace (an event on the log may come from elsewhere than the API).
 */
public final class WantedRoutes {

    private final String systemDomain;
    private final ReservedHosts reserved;
    private final ReservedNamespaces reservedNamespaces;

    public WantedRoutes(String systemDomain, ReservedHosts reserved, ReservedNamespaces reservedNamespaces) {
        this.systemDomain = systemDomain;
        this.reserved = reserved;
        this.reservedNamespaces = reservedNamespaces;
    }

    public List<Route> of(AppDeployed deployed) throws RoutingFailure {
        var namespaceRefusal = reservedNamespaces.refusal(deployed.app().namespace());
        if (namespaceRefusal.isPresent()) {
            throw new RoutingFailure(ReasonCodes.NAMESPACE_RESERVED, namespaceRefusal.get());
        }
        LinkedHashSet<Route> routes = new LinkedHashSet<>();
        try {
            if (deployed.settings().defaultRoute()) {
                routes.add(Route.defaultRoute(deployed.app().name(), systemDomain));
            }
            for (String route : deployed.settings().routes()) {
                routes.add(Route.parse(route));
            }
        } catch (IllegalArgumentException invalid) {
            throw new RoutingFailure(ReasonCodes.ROUTE_INVALID, invalid.getMessage()
                    + ". Fix the route in the app's configuration and push again");
        }
        RouteConflicts conflicts = new RouteConflicts(deployed.app());
        routes.stream().map(Route::host).filter(reserved::reserves).forEach(conflicts::reservedHost);
        conflicts.throwIfAny();
        return new ArrayList<>(routes);
    }
}
