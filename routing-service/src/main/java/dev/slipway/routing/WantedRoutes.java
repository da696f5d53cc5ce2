package dev.slipway.routing;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Route;
import dev.slipway.routing.ingress.RoutingFailure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The routes a deployed app wants: {@code <app>.<system-domain>} unless turned off, then its custom ones. */
public final class WantedRoutes {

    private WantedRoutes() {
    }

    public static List<Route> of(AppDeployed deployed, String systemDomain) throws RoutingFailure {
        LinkedHashSet<Route> routes = new LinkedHashSet<>();
        try {
            if (deployed.settings().defaultRoute()) {
                routes.add(new Route(deployed.app().name() + "." + systemDomain, ""));
            }
            for (String route : deployed.settings().routes()) {
                routes.add(Route.parse(route));
            }
        } catch (IllegalArgumentException invalid) {
            throw new RoutingFailure(ReasonCodes.ROUTE_INVALID, invalid.getMessage()
                    + ". Fix the route in the app's configuration and push again");
        }
        return new ArrayList<>(routes);
    }
}
