package dev.slipway.upload.apps;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.EventJson;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Apps, kept in a compacted Kafka topic keyed {@code <namespace>/<app>}: the topic is the truth,
 * this map is every replica's copy of it, rebuilt by reading the topic on start. A write reaches
 * the broker before the map changes, so what the API answered is never lost.
 */
public class AppStore {

    public static final String TOPIC = dev.slipway.events.Topics.APPS;

    private final Map<String, AppState> apps = new ConcurrentHashMap<>();
    private final Producer<String, byte[]> producer;

    public AppStore(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    public Optional<AppState> find(AppRef app) {
        return Optional.ofNullable(apps.get(key(app)));
    }

    public List<AppState> list(Predicate<String> namespaceVisible) {
        return apps.values().stream()
                .filter(app -> namespaceVisible.test(app.namespace()))
                .sorted(Comparator.comparing(AppState::namespace).thenComparing(AppState::name))
                .toList();
    }

    /** Stores a new app; false when one of that name already exists. */
    public synchronized boolean create(AppState app) {
        if (apps.containsKey(key(app.ref()))) {
            return false;
        }
        write(app.ref(), app);
        return true;
    }

    /** Applies {@code change} to the stored app; empty when there is none. */
    public synchronized Optional<AppState> update(AppRef app, UnaryOperator<AppState> change) {
        AppState current = apps.get(key(app));
        if (current == null) {
            return Optional.empty();
        }
        AppState changed = change.apply(current);
        write(app, changed);
        return Optional.of(changed);
    }

    /** Removes the app: a tombstone, so compaction forgets it. */
    public synchronized boolean delete(AppRef app) {
        if (!apps.containsKey(key(app))) {
            return false;
        }
        send(new ProducerRecord<>(TOPIC, key(app), null), app);
        apps.remove(key(app));
        return true;
    }

    /** Applies one record of the topic: an app, or a tombstone for a deleted one. */
    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            apps.remove(record.key());
        } else {
            apps.put(record.key(), EventJson.mapper().readValue(record.value(), AppState.class));
        }
    }

    private void write(AppRef app, AppState state) {
        send(new ProducerRecord<>(TOPIC, key(app), EventJson.mapper().writeValueAsBytes(state)), app);
        apps.put(key(app), state);
    }

    private void send(ProducerRecord<String, byte[]> record, AppRef app) {
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the app store (Kafka topic " + TOPIC + ") refused the write: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing " + app, e);
        }
    }

    private static String key(AppRef app) {
        return app.namespace() + "/" + app.name();
    }
}
