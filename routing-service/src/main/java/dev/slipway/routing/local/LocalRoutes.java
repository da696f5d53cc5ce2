package dev.slipway.routing.local;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Route;
import dev.slipway.routing.RoutingFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The route table as a fold of the event log: every {@code app.deployed} and {@code app.deleted}
 * applied in log order, read from the beginning on start. So after a restart the router sends
 * traffic where it did before, and every replica decides conflicts alike. The stage binding waits
 * here for the decision on the event it consumes.
 */
public final class LocalRoutes {

    private static final int REMEMBERED = 10_000;

    private final RouteTable table;
    private final Map<String, CompletableFuture<List<Route>>> decisions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<List<Route>>> eldest) {
            return size() > REMEMBERED;
        }
    };

    public LocalRoutes(RouteTable table) {
        this.table = table;
    }

    public void apply(Event<? extends EventData> event) {
        if (event.data() instanceof AppDeleted deleted) {
            table.remove(deleted.app(), event.time());
        } else if (event.data() instanceof AppDeployed deployed) {
            CompletableFuture<List<Route>> decision = decision(event.id());
            try {
                decision.complete(table.apply(deployed, event.time()));
            } catch (RoutingFailure refused) {
                decision.completeExceptionally(refused);
            }
        }
    }

    /** The routes {@code event} got, once the fold has reached it. */
    public List<Route> awaitDecision(String eventId, Duration timeout) throws RoutingFailure, TimeoutException {
        try {
            return decision(eventId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException failed) {
            throw (RoutingFailure) failed.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    private synchronized CompletableFuture<List<Route>> decision(String eventId) {
        return decisions.computeIfAbsent(eventId, id -> new CompletableFuture<>());
    }
}
