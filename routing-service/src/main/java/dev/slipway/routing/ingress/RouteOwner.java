package dev.slipway.routing.ingress;

import dev.slipway.events.AppRef;

/**
 * Who holds a route: a Slipway app, or an Ingress that Slipway did not make (then {@code app} is
 * null and {@code description} names the Ingress). Only shown to pushers of the same namespace.
 */
record RouteOwner(AppRef app, String description) {

    static RouteOwner of(AppRef app) {
        return new RouteOwner(app, "app " + app);
    }

    static RouteOwner foreign(String namespace, String ingress) {
        return new RouteOwner(null, "Ingress " + namespace + "/" + ingress + " (not made by Slipway)");
    }

    boolean is(AppRef other) {
        return other.equals(app);
    }
}
