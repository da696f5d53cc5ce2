package dev.slipway.routing.local;

import dev.slipway.events.AppRef;
import dev.slipway.events.EventJson;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.TopicCreation;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table's entries in {@code slipway.routes} (compacted, keyed {@code <namespace>/<app>}).
 * Writes do not wait for the broker: the fold must not stall on it, and a write lost to a crash is
 * made again on the next start, as the event that caused it is folded again (it is still in the log:
 * a write takes milliseconds, the log keeps events for days). A deletion is a tombstone timestamped
 * with the deletion, so a restart knows that the app's older events are already reflected.
 */
public final class RoutesTopic implements RouteTableLog, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoutesTopic.class);

    private final Producer<String, byte[]> producer;
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile String lastFailure;

    RoutesTopic(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    static RoutesTopic connect(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new RoutesTopic(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()));
    }

    /**
     * The topic as routing-service creates it: compacted, and a tombstone kept as long as the event
     * log keeps events, so no event older than a deletion can bring the app's routes back on a restart.
     */
    static NewTopic definition(Duration eventsRetention) {
        NewTopic topic = TopicCreation.compacted(Topics.ROUTES);
        Map<String, String> configs = new HashMap<>(topic.configs());
        configs.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(eventsRetention.toMillis()));
        return topic.configs(configs);
    }

    @Override
    public void write(AppRoutes entry) {
        send(new ProducerRecord<>(Topics.ROUTES, entry.key(), EventJson.mapper().writeValueAsBytes(entry)));
    }

    @Override
    public void deleted(AppRef app, OffsetDateTime at) {
        send(new ProducerRecord<String, byte[]>(Topics.ROUTES, null, at.toInstant().toEpochMilli(), key(app), (byte[]) null));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        producer.send(record, (written, failure) -> {
            if (failure != null) {
                failedWrites.incrementAndGet();
                lastFailure = record.key() + ": " + failure.getMessage();
                log.warn("could not keep the route table's entry {} in {} (folded again from the event log on the "
                        + "next start): {}", record.key(), Topics.ROUTES, failure.getMessage());
            }
        });
    }

    /** Applies one record of the topic to {@code routes}: an entry, or a tombstone of a deleted app. */
    static void restore(ConsumerRecord<String, byte[]> record, LocalRoutes routes) {
        AppRef app = app(record.key());
        if (record.value() == null) {
            routes.restore(app, Optional.empty(),
                    OffsetDateTime.ofInstant(Instant.ofEpochMilli(record.timestamp()), ZoneOffset.UTC));
            return;
        }
        AppRoutes entry = EventJson.mapper().readValue(record.value(), AppRoutes.class);
        if (!entry.app().equals(app)) {
            throw new IllegalArgumentException("entry of " + entry.app() + " under key " + record.key());
        }
        routes.restore(app, Optional.of(entry), null);
    }

    long failedWrites() {
        return failedWrites.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    /** Sends what is still buffered before closing: an orderly stop loses no entry. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static String key(AppRef app) {
        return app.namespace() + "/" + app.name();
    }

    private static AppRef app(String key) {
        int slash = key == null ? -1 : key.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("route table key '" + key + "' is not <namespace>/<app>");
        }
        return new AppRef(key.substring(0, slash), key.substring(slash + 1));
    }
}
