package dev.slipway.upload.webhooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link DeliveryWorker} per known subscription on every replica, driven by the
 * subscriptions topic: all of them once the topic is read up to where it was at start, then one
 * more for each subscription added, and one fewer for each tombstone. The consumer groups make
 * sure an event is delivered by one replica only.
 */
public class WebhookWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorkers.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final SubscriptionStore subscriptions;
    private final DeliveryLog deliveries;
    private final DeliveryWorkerFactory factory;
    private final Map<String, DeliveryWorker> workers = new HashMap<>();
    private boolean caughtUp;
    private boolean closed;

    WebhookWorkers(SubscriptionStore subscriptions, DeliveryLog deliveries, DeliveryWorkerFactory factory) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.factory = factory;
    }

    /** Handles one record of {@link SubscriptionStore#TOPIC}: stores it, then starts or stops its worker. */
    public synchronized void follow(ConsumerRecord<String, byte[]> record) {
        subscriptions.apply(record);
        if (record.value() == null) {
            stop(record.key());
        } else if (caughtUp) {
            subscriptions.find(record.key()).ifPresent(this::start);
        }
    }

    /** Called once the subscriptions topic has been read up to where it was at start. */
    public synchronized void caughtUp() {
        caughtUp = true;
        subscriptions.list(subscription -> true).forEach(this::start);
    }

    private void start(Subscription subscription) {
        if (closed || workers.containsKey(subscription.id())) {
            return;
        }
        DeliveryWorker worker;
        try {
            worker = factory.workerFor(subscription);
        } catch (IllegalArgumentException unopenable) {
            // e.g. a secret sealed under another slipway.secrets.key: the others must still run
            log.error("cannot deliver webhook {}: {}", subscription.id(), unopenable.getMessage());
            return;
        }
        workers.put(subscription.id(), worker);
        worker.start();
        log.info("delivering webhook {} to {}", subscription.id(), subscription.url());
    }

    private void stop(String subscriptionId) {
        DeliveryWorker worker = workers.remove(subscriptionId);
        if (worker != null) {
            worker.stop();
            log.info("stopped webhook {}", subscriptionId);
        }
        deliveries.forget(subscriptionId);
    }

    @Override
    public void close() throws InterruptedException {
        List<DeliveryWorker> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(workers.values());
            workers.clear();
        }
        stopping.forEach(DeliveryWorker::stop);
        for (DeliveryWorker worker : stopping) {
            worker.join(STOP_TIMEOUT);
        }
    }
}
