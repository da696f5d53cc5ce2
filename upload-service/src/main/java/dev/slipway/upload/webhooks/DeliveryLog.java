package dev.slipway.upload.webhooks;

import dev.slipway.events.EventJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What webhook deliveries did, on a Kafka topic keyed by subscription id. Whichever replica
 * delivers writes it; every replica reads it back into memory, so every replica answers the same
 * about deliveries, also after a restart. The latest entry per event wins; the oldest events are
 * forgotten beyond {@link #KEPT_PER_SUBSCRIPTION}.
 */
public class DeliveryLog {

    public static final String TOPIC = "slipway.webhook-deliveries";
    static final int KEPT_PER_SUBSCRIPTION = 1000;

    private static final Logger log = LoggerFactory.getLogger(DeliveryLog.class);

    private final Map<String, Map<String, Delivery>> bySubscription = new ConcurrentHashMap<>();
    private final Producer<String, byte[]> producer;

    private final DeliveryMetrics metrics;

    public DeliveryLog(Producer<String, byte[]> producer) {
        this(producer, null);
    }

    public DeliveryLog(Producer<String, byte[]> producer, DeliveryMetrics metrics) {
        this.producer = producer;
        this.metrics = metrics;
    }

    /** Writes how an attempt went ({@code statusCode} null when the target gave no HTTP answer) and counts it. */
    public void record(String subscriptionId, Delivery delivery, Integer statusCode) {
        if (metrics != null) {
            metrics.attempted(delivery.delivered(), statusCode);
        }
        record(subscriptionId, delivery);
    }

    /** Writes how a delivery went; a log that cannot be written must not stop the deliveries themselves. */
    public void record(String subscriptionId, Delivery delivery) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, subscriptionId, EventJson.mapper().writeValueAsBytes(delivery)))
                    .get();
        } catch (ExecutionException e) {
            log.warn("could not log delivery of {} to subscription {}: {}", delivery.eventId(), subscriptionId,
                    e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The deliveries of one subscription, in the order its events were first tried. */
    public List<Delivery> of(String subscriptionId) {
        Map<String, Delivery> deliveries = bySubscription.get(subscriptionId);
        if (deliveries == null) {
            return List.of();
        }
        synchronized (deliveries) {
            return new ArrayList<>(deliveries.values());
        }
    }

    /** Applies one record of the topic. */
    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        Delivery delivery = EventJson.mapper().readValue(record.value(), Delivery.class);
        Map<String, Delivery> deliveries = bySubscription.computeIfAbsent(record.key(), id -> new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Delivery> eldest) {
                return size() > KEPT_PER_SUBSCRIPTION;
            }
        });
        synchronized (deliveries) {
            deliveries.put(delivery.eventId(), delivery);
        }
    }

    /** Drops what is kept about a deleted subscription. */
    public void forget(String subscriptionId) {
        bySubscription.remove(subscriptionId);
    }
}
