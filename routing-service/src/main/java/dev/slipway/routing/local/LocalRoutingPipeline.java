package dev.slipway.routing.local;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Route;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.RoutesReady;
import dev.slipway.routing.RoutingFailure;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Local mode's routing stage: answers each {@code app.deployed} with the URLs the local router now
 * serves it at, or with the reason it refused (ROUTE_CONFLICT, ROUTE_INVALID).
 */
public final class LocalRoutingPipeline {

    private final URI source;
    private final LocalRoutes routes;
    private final java.util.function.IntSupplier port;
    private final Duration settle;

    public LocalRoutingPipeline(URI source, LocalRoutes routes, java.util.function.IntSupplier port, Duration settle) {
        this.source = source;
        this.routes = routes;
        this.port = port;
        this.settle = settle;
    }

    public void accept(Event<? extends EventData> event, Consumer<Event<?>> emit) {
        if (!(event.data() instanceof AppDeployed deployed)) {
            return;
        }
        try {
            List<Route> served = routes.awaitDecision(event.id(), settle);
            emit.accept(event.next(source, new RoutesReady(deployed.blobUid(), deployed.app(),
                    served.stream().map(route -> route.url(false, port.getAsInt() == 80 ? 0 : port.getAsInt()))
                            .toList())));
        } catch (RoutingFailure refused) {
            emit.accept(event.next(source, RoutesFailed.of(deployed,
                    new Failure(refused.reason(), refused.getMessage(), false))));
        } catch (TimeoutException behind) {
            emit.accept(event.next(source, RoutesFailed.of(deployed,
                    new Failure(ReasonCodes.CLUSTER_UNAVAILABLE, "the local router has not caught up with the event "
                            + "log within " + settle + "; replay the push shortly", true))));
        }
    }
}
