package dev.slipway.staging.metrics;

import dev.slipway.events.Event;
import dev.slipway.events.Metrics;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageStepFinished;
import dev.slipway.events.StageSucceeded;
import dev.slipway.staging.build.AppKind;
import dev.slipway.staging.kubernetes.KubernetesBuild;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Records staging's metrics from the events a stage emits, so the pipeline itself knows nothing of
 * them. A stage's step durations are held until its end, when the app's kind is known (a failed stage
 * never learns it: {@link Metrics#UNKNOWN_KIND}).
 */
public final class StageMetrics {

    /** The kinds builders report: the local builder's, and buildpacks on Kubernetes. */
    private static final Set<String> KINDS = Stream.concat(Arrays.stream(AppKind.values()).map(AppKind::wireName),
            Stream.of(KubernetesBuild.BUILDPACKS)).collect(Collectors.toUnmodifiableSet());

    private final MeterRegistry registry;

    public StageMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code emit} for one stage, recording its steps and outcome on the way. */
    public Consumer<Event<?>> around(Consumer<Event<?>> emit) {
        Map<StageStep, Long> steps = new EnumMap<>(StageStep.class);
        return event -> {
            emit.accept(event);
            if (event.data() instanceof StageStepFinished finished) {
                steps.put(finished.step(), finished.durationMillis());
            } else if (event.data() instanceof StageSucceeded succeeded) {
                // an image already there was announced again, nothing was staged: no outcome to count
                if (!steps.isEmpty()) {
                    ended(steps, kind(succeeded.appKind()), "succeeded", Metrics.NO_REASON);
                }
            } else if (event.data() instanceof StageFailed failed) {
                ended(steps, Metrics.UNKNOWN_KIND, "failed", Metrics.reason(failed.failure().reason()));
            }
        };
    }

    private void ended(Map<StageStep, Long> steps, String kind, String outcome, String reason) {
        steps.forEach((step, millis) -> Timer.builder(Metrics.STAGE_DURATION)
                .description("How long each staging step took")
                .tag(Metrics.STEP, step.wireName()).tag(Metrics.KIND, kind)
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)
                .record(Duration.ofMillis(millis)));
        Counter.builder(Metrics.STAGE_OUTCOMES)
                .description("How stages ended, by reason code")
                .tag(Metrics.OUTCOME, outcome).tag(Metrics.REASON, reason)
                .register(registry)
                .increment();
    }

    private static String kind(String kind) {
        return kind != null && KINDS.contains(kind) ? kind : Metrics.UNKNOWN_KIND;
    }
}
