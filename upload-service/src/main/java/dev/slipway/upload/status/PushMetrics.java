package dev.slipway.upload.status;

import dev.slipway.events.Metrics;
import dev.slipway.events.ReasonCodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts how pushes ended (online, failed, superseded) by reason code; the push and its app stay out of the tags. */
public final class PushMetrics {

    private final MeterRegistry registry;

    public PushMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Whether going from {@code before} to {@code after} is the push's end (a state that ends, newly reached). */
    public static boolean isOutcome(PushState before, PushState after) {
        if (after == null || before != null && after.phase().equals(before.phase())) {
            return false;
        }
        return PushState.ONLINE.equals(after.phase()) || PushState.FAILED.equals(after.phase())
                || PushState.SUPERSEDED.equals(after.phase());
    }

    /** Counts a push that reached {@code ended}. */
    public void ended(PushState ended) {
        String reason = switch (ended.phase()) {
            case PushState.SUPERSEDED -> ReasonCodes.SUPERSEDED;
            case PushState.FAILED -> Metrics.reason(ended.failure() == null ? null : ended.failure().reason());
            default -> Metrics.NO_REASON;
        };
        Counter.builder(Metrics.PUSH_OUTCOMES)
                .description("How pushes ended, by reason code")
                .tag(Metrics.OUTCOME, ended.phase()).tag(Metrics.REASON, reason)
                .register(registry)
                .increment();
    }
}
