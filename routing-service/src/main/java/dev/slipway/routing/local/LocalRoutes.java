package dev.slipway.routing.local;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Route;
import dev.slipway.routing.RoutingFailure;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The route table as a fold of the event log on top of what it kept: on start the entries of
 * {@code slipway.routes} are restored, then every {@code app.deployed} and {@code app.deleted} the log
 * still has is applied in log order, each app's changes no later than its restored one skipped as
 * already reflected. Every change applied is written back, so the table outlives the log's retention;
 * every replica restores the same entries and folds the same log, so all decide conflicts alike. The
 * stage binding waits here for the decision on the event it consumes.
 */
public final class LocalRoutes {

    private static final int REMEMBERED = 10_000;

    private final RouteTable table;
    private final RouteTableLog log;
    private final Map<String, CompletableFuture<List<Route>>> decisions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<List<Route>>> eldest) {
            return size() > REMEMBERED;
        }
    };
    /** Restored refusals by the id of the event refused: the same event must be refused again. */
    private final Map<String, AppRoutes.Refusal> restoredRefusals = new LinkedHashMap<>();

    public LocalRoutes(RouteTable table, RouteTableLog log) {
        this.table = table;
        this.log = log;
    }

    /** Puts back one kept entry, or forgets an app whose entry was removed at {@code removedAt}. */
    public synchronized void restore(AppRef app, Optional<AppRoutes> entry, OffsetDateTime removedAt) {
        if (entry.isEmpty()) {
            table.remove(app, removedAt);
            return;
        }
        table.restore(entry.get());
        if (entry.get().refusal() != null) {
            restoredRefusals.put(entry.get().lastEventId(), entry.get().refusal());
        }
    }

    public synchronized void apply(Event<? extends EventData> event) {
        if (event.data() instanceof AppDeleted deleted) {
            Optional<OffsetDateTime> before = table.lastChange(deleted.app());
            table.remove(deleted.app(), event.time());
            if (!table.lastChange(deleted.app()).equals(before)) {
                log.deleted(deleted.app(), event.time());
            }
        } else if (event.data() instanceof AppDeployed deployed) {
            CompletableFuture<List<Route>> decision = decision(event.id());
            AppRoutes.Refusal restored = restoredRefusals.remove(event.id());
            if (restored != null) {
                decision.completeExceptionally(new RoutingFailure(restored.reason(), restored.message()));
                return;
            }
            Optional<OffsetDateTime> before = table.lastChange(deployed.app());
            AppRoutes.Refusal refusal = null;
            try {
                decision.complete(table.apply(deployed, event.time()));
            } catch (RoutingFailure refused) {
                refusal = new AppRoutes.Refusal(refused.reason(), refused.getMessage());
                decision.completeExceptionally(refused);
            }
            if (!table.lastChange(deployed.app()).equals(before)) {
                log.write(table.entryOf(deployed.app(), event.id(), refusal));
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

    private CompletableFuture<List<Route>> decision(String eventId) {
        synchronized (decisions) {
            return decisions.computeIfAbsent(eventId, id -> new CompletableFuture<>());
        }
    }
}
