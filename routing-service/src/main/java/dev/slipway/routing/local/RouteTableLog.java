package dev.slipway.routing.local;

import dev.slipway.events.AppRef;
import java.time.OffsetDateTime;

/** Where the route table keeps each app's entry, so it outlives the event log (see {@link AppRoutes}). */
public interface RouteTableLog {

    /** Keeps {@code entry} as the app's current one. */
    void write(AppRoutes entry);

    /** Forgets the app, deleted at {@code at} (a tombstone). */
    void deleted(AppRef app, OffsetDateTime at);
}
