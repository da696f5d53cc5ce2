package dev.slipway.upload.webhooks;

import dev.slipway.events.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts webhook delivery attempts by result and the class of the target's HTTP answer. Deliveries are
 * tried until they get through, so every result is {@code delivered} or {@code failed} (per attempt);
 * the subscription, its URL and the push stay out of the tags.
 */
public final class DeliveryMetrics {

    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void attempted(boolean delivered, Integer statusCode) {
        Counter.builder(Metrics.WEBHOOK_DELIVERIES)
                .description("Webhook delivery attempts, by result and HTTP status class")
                .tag(Metrics.RESULT, delivered ? "delivered" : "failed")
                .tag(Metrics.STATUS, statusCode == null ? Metrics.NO_STATUS : Metrics.statusClass(statusCode))
                .register(registry)
                .increment();
    }
}
