package dev.slipway.upload.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Binds a Kafka Streams client's own metrics (its consumers' {@code records-lag-max} among them) to
 * Micrometer: upload-service's Streams clients are its own, so Spring Boot does not bind them.
 */
public final class StreamsMetrics {

    /** Binds nothing (a client run outside a service, as in tests of one topology). */
    public static final StreamsMetrics NONE = new StreamsMetrics(null);

    private final MeterRegistry registry;

    public StreamsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds {@code streams}' metrics; closing the answer removes them again, as the client closes. */
    public AutoCloseable bind(KafkaStreams streams) {
        if (registry == null) {
            return () -> { };
        }
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(registry);
        return metrics;
    }

    /** Unbinds what {@link #bind} bound; null: nothing was. */
    public static void closeQuietly(AutoCloseable bound) {
        if (bound == null) {
            return;
        }
        try {
            bound.close();
        } catch (Exception e) {
            // unbinding only removes meters: nothing to do about a failure but go on stopping
        }
    }
}
