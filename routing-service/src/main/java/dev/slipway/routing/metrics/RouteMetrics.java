package dev.slipway.routing.metrics;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Metrics;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.RoutesReady;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Counts routing's outcomes by reason code from what the stage emits (Ingress and local routing alike). */
public final class RouteMetrics {

    private final MeterRegistry registry;

    public RouteMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code stage}, its outcomes counted. */
    public BiConsumer<Event<EventData>, Consumer<Event<?>>> around(
            BiConsumer<Event<EventData>, Consumer<Event<?>>> stage) {
        return (input, emit) -> stage.accept(input, event -> {
            emit.accept(event);
            if (event.data() instanceof RoutesReady) {
                count("ready", Metrics.NO_REASON);
            } else if (event.data() instanceof RoutesFailed failed) {
                count("failed", Metrics.reason(failed.failure().reason()));
            }
        });
    }

    private void count(String outcome, String reason) {
        Counter.builder(Metrics.ROUTE_OUTCOMES)
                .description("How route changes ended, by reason code")
                .tag(Metrics.OUTCOME, outcome).tag(Metrics.REASON, reason)
                .register(registry)
                .increment();
    }
}
