package dev.slipway.routing.local;

import dev.slipway.events.AppRef;
import dev.slipway.events.Route;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One app's entry of the route table as {@code slipway.routes} keeps it (keyed {@code <namespace>/<app>}):
 * the routes it holds, where they lead, and the change that made it so, so a restart restores the
 * table without the events that built it.
 *
 * @param changedAt   time of the event that last changed the entry; an event of the app that is not
 *                    later is already reflected and is not applied again
 * @param lastEventId id of that event
 * @param refusal     why that event's routes were refused, if they were (the app kept the routes it
 *                    held), so the event gets the same answer if it comes again; null when accepted
 */
public record AppRoutes(AppRef app, List<Route> routes, List<String> endpoints, OffsetDateTime changedAt,
                        String lastEventId, Refusal refusal) {

    public AppRoutes {
        routes = List.copyOf(routes);
        endpoints = List.copyOf(endpoints);
    }

    public String key() {
        return app.namespace() + "/" + app.name();
    }

    /** A refused change: its reason code and message, as {@code routes.failed} carried them. */
    public record Refusal(String reason, String message) {
    }
}
