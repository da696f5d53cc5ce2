package dev.slipway.upload.changes;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.Route;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who already routes a route, as far as the apps the API keeps can tell, so adding one that another
 * app holds is refused at once (as routing would refuse the deploy with {@code ROUTE_CONFLICT}).
 * A host routed in another namespace is the first namespace's until its last route there goes; that
 * namespace and its apps are not named, as the caller may not see them.
 */
final class RouteOwners {

    private final Collection<AppState> apps;
    private final Function<AppState, Collection<String>> routesOf;

    /** {@code routesOf}: every route of an app, its default one included. */
    RouteOwners(Collection<AppState> apps, Function<AppState, Collection<String>> routesOf) {
        this.apps = apps;
        this.routesOf = routesOf;
    }

    /** Why {@code app} may not add {@code route}, or empty when no other app holds it. */
    Optional<String> conflict(AppRef app, Route route) {
        for (AppState other : apps) {
            if (other.ref().equals(app)) {
                continue;
            }
            for (String held : routesOf.apply(other)) {
                Route heldRoute = Route.parse(held);
                if (!other.namespace().equals(app.namespace()) && heldRoute.host().equals(route.host())) {
                    return Optional.of("host " + route.host() + " belongs to another namespace: route the app on a "
                            + "host of your own");
                }
                if (other.namespace().equals(app.namespace()) && heldRoute.equals(route)) {
                    return Optional.of("route " + route + " belongs to app " + other.name() + "; choose another route "
                            + "or remove it from " + other.name() + " first");
                }
            }
        }
        return Optional.empty();
    }
}
