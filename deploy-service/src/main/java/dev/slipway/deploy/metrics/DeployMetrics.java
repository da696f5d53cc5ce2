package dev.slipway.deploy.metrics;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Records deploy's metrics from what the stage emits: the time from taking an input to its outcome,
 * and the outcomes by reason code. The pipeline itself knows nothing of them.
 */
public final class DeployMetrics {

    private final MeterRegistry registry;

    public DeployMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code stage}, its outcomes recorded. */
    public BiConsumer<Event<EventData>, Consumer<Event<?>>> around(
            BiConsumer<Event<EventData>, Consumer<Event<?>>> stage) {
        return (input, emit) -> {
            Timer.Sample started = Timer.start(registry);
            stage.accept(input, event -> {
                emit.accept(event);
                if (event.data() instanceof AppDeployed) {
                    ended(started, "deployed", Metrics.NO_REASON);
                } else if (event.data() instanceof DeployFailed failed) {
                    ended(started, "failed", Metrics.reason(failed.failure().reason()));
                }
            });
        };
    }

    private void ended(Timer.Sample started, String outcome, String reason) {
        started.stop(Timer.builder(Metrics.DEPLOY_DURATION)
                .description("How long a deploy took, from its request to its outcome")
                .tag(Metrics.OUTCOME, outcome)
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry));
        Counter.builder(Metrics.DEPLOY_OUTCOMES)
                .description("How deploys ended, by reason code")
                .tag(Metrics.OUTCOME, outcome).tag(Metrics.REASON, reason)
                .register(registry)
                .increment();
    }
}
