package dev.slipway.routing;

import dev.slipway.events.AppRef;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.ReservedHosts;
import dev.slipway.events.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * The conflicts of one deploy, in the words both runtimes use. A host held by another namespace is
 * named, but never who holds it: which apps and namespaces exist elsewhere is not the pusher's to
 * learn. Inside the pusher's own namespace the other app is named, as the pusher can see it anyway.
 */
public final class RouteConflicts {

    private final AppRef app;
    private final List<String> found = new ArrayList<>();
    private boolean foreign;
    private boolean reserved;
    private boolean local;

    public RouteConflicts(AppRef app) {
        this.app = app;
    }

    public void hostOfAnotherNamespace(String host) {
        add("host " + host + " belongs to another namespace");
        foreign = true;
    }

    public void reservedHost(String host) {
        add("host " + host + " is reserved for the platform");
        reserved = true;
    }

    /** {@code owner} is an app or an object of the pusher's own namespace. */
    public void routeOf(Route route, String owner) {
        add("route " + route + " belongs to " + owner);
        local = true;
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** The {@code ROUTE_CONFLICT} for all of them, with what to do next. */
    public RoutingFailure failure() {
        List<String> next = new ArrayList<>();
        if (foreign) {
            next.add("a host belongs to the first namespace that routes it, until its last route there is gone: "
                    + "route the app on a host of your own (--route)");
        }
        if (reserved) {
            next.add(ReservedHosts.NEXT_STEP);
        }
        if (local) {
            next.add("choose another route (--route) or remove it from the other app");
        }
        return new RoutingFailure(ReasonCodes.ROUTE_CONFLICT, String.join("; ", found) + ". "
                + capitalized(String.join("; ", next)) + "; " + app + " keeps the routes it had");
    }

    /** Throws the failure when there is any conflict. */
    public void throwIfAny() throws RoutingFailure {
        if (!isEmpty()) {
            throw failure();
        }
    }

    private void add(String conflict) {
        if (!found.contains(conflict)) {
            found.add(conflict);
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
