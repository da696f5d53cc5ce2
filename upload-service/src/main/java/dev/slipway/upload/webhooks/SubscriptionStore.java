package dev.slipway.upload.webhooks;

import dev.slipway.events.EventJson;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Webhook subscriptions, kept in a compacted Kafka topic keyed by id, like the apps: the topic is
 * the truth and this map every replica's copy of it. A write reaches the broker before the map
 * changes, so a subscription the API confirmed is never lost.
 */
public class SubscriptionStore {

    public static final String TOPIC = "slipway.subscriptions";

    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Producer<String, byte[]> producer;

    public SubscriptionStore(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    public Optional<Subscription> find(String id) {
        return Optional.ofNullable(subscriptions.get(id));
    }

    /** Oldest first. */
    public List<Subscription> list(Predicate<Subscription> visible) {
        return subscriptions.values().stream().filter(visible)
                .sorted(Comparator.comparing(Subscription::createdAt).thenComparing(Subscription::id))
                .toList();
    }

    public void create(Subscription subscription) {
        send(new ProducerRecord<>(TOPIC, subscription.id(), EventJson.mapper().writeValueAsBytes(subscription)));
        subscriptions.put(subscription.id(), subscription);
    }

    /** Removes the subscription with a tombstone, so compaction forgets it; false when there is none. */
    public boolean delete(String id) {
        if (!subscriptions.containsKey(id)) {
            return false;
        }
        send(new ProducerRecord<>(TOPIC, id, null));
        subscriptions.remove(id);
        return true;
    }

    /** Applies one record of the topic: a subscription, or a tombstone for a deleted one. */
    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            subscriptions.remove(record.key());
        } else {
            subscriptions.put(record.key(), EventJson.mapper().readValue(record.value(), Subscription.class));
        }
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the subscription store (Kafka topic " + TOPIC + ") refused the write: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing subscription " + record.key(), e);
        }
    }
}
