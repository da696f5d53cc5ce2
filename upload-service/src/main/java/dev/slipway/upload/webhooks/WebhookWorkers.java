package dev.slipway.upload.webhooks;

import dev.slipway.events.spring.ConsumerParts;
import dev.slipway.events.spring.PartStatus;
import dev.slipway.upload.api.LogSafe;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link DeliveryWorker} per known subscription on every replica, driven by the
 * subscriptions topic: all of them once the topic is read up to where it was at start, then one
 * more for each subscription added, and one fewer for each tombstone. The consumer groups make
 * sure an event is delivered by one replica only. Workers own no thread: they step on a pool of
 * {@code slipway.webhooks.delivery-threads} shared by all. A worker that dies is replaced after a
 * back-off that grows while it keeps dying; the {@code consumers} health check is DOWN for a
 * subscription that has no worker and none coming.
 */
public class WebhookWorkers implements AutoCloseable, ConsumerParts {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorkers.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** A worker that died, and when the next one starts. */
    private record Restart(int deaths, String cause, Instant at) {
    }

    private final SubscriptionStore subscriptions;
    private final DeliveryLog deliveries;
    private final DeliveryWorkerFactory factory;
    private final IntervalFunction restartBackoff;
    private final Duration stableAfter;
    private final Map<String, DeliveryWorker> workers = new HashMap<>();
    private final Map<String, Restart> restarts = new HashMap<>();
    private final Map<String, Integer> deaths = new HashMap<>();
    private final Map<String, String> undeliverable = new HashMap<>();
    private final ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "webhook-restarts");
        thread.setDaemon(true);
        return thread;
    });
    private boolean caughtUp;
    private boolean closed;

    WebhookWorkers(SubscriptionStore subscriptions, DeliveryLog deliveries, DeliveryWorkerFactory factory,
                   WebhookProperties properties) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.factory = factory;
        this.restartBackoff = properties.backoff();
        // a worker that ran longer than the longest wait was not dying in a loop: its count starts over
        this.stableAfter = properties.maxWait();
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
        String id = subscription.id();
        if (closed || workers.containsKey(id) || restarts.containsKey(id)) {
            return;
        }
        DeliveryWorker worker;
        try {
            worker = factory.workerFor(subscription, this::died);
        } catch (RuntimeException unopenable) {
            // e.g. a secret sealed under another slipway.secrets.key: the others must still run
            log.error("cannot deliver webhook {}: {}", id, LogSafe.text(unopenable.getMessage()));
            undeliverable.put(id, "no worker: " + unopenable.getMessage());
            return;
        }
        undeliverable.remove(id);
        workers.put(id, worker);
        worker.start();
        log.info("delivering webhook {} to {}", id, subscription.redactedUrl());
    }

    /** Called when a worker dies: the event it was delivering is uncommitted, the next worker delivers it. */
    private synchronized void died(DeliveryWorker worker, Throwable cause) {
        String id = worker.subscriptionId();
        if (closed || workers.get(id) != worker) {
            return;
        }
        workers.remove(id);
        int count = worker.age().compareTo(stableAfter) > 0 ? 1 : deaths.getOrDefault(id, 0) + 1;
        deaths.put(id, count);
        Duration wait = Duration.ofMillis(restartBackoff.apply(count));
        try {
            restarter.schedule(() -> restart(id), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            undeliverable.put(id, "its worker died (" + cause + ") and cannot be restarted");
            return;
        }
        restarts.put(id, new Restart(count, cause.toString(), Instant.now().plus(wait)));
        log.warn("webhook worker of subscription {} died ({} time(s) in a row): {}; another starts in {}", id, count,
                cause, wait);
    }

    private synchronized void restart(String subscriptionId) {
        if (restarts.remove(subscriptionId) != null) {
            subscriptions.find(subscriptionId).ifPresent(this::start);
        }
    }

    private void stop(String subscriptionId) {
        DeliveryWorker worker = workers.remove(subscriptionId);
        if (worker != null) {
            worker.stop();
            log.info("stopped webhook {}", subscriptionId);
        }
        restarts.remove(subscriptionId);
        deaths.remove(subscriptionId);
        undeliverable.remove(subscriptionId);
        deliveries.forget(subscriptionId);
    }

    @Override
    public synchronized List<PartStatus> partStatuses() {
        List<PartStatus> statuses = new ArrayList<>();
        workers.forEach((id, worker) -> statuses.add(worker.isAlive() ? PartStatus.running(part(id))
                : PartStatus.stopped(part(id), "its worker has ended")));
        restarts.forEach((id, restart) -> statuses.add(PartStatus.idle(part(id), "restarting at " + restart.at()
                + " after " + restart.deaths() + " death(s) in a row, the last: " + restart.cause())));
        undeliverable.forEach((id, why) -> statuses.add(PartStatus.stopped(part(id), why)));
        return statuses;
    }

    private static String part(String subscriptionId) {
        return "webhook " + subscriptionId;
    }

    @Override
    public void close() throws InterruptedException {
        List<DeliveryWorker> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(workers.values());
            workers.clear();
            restarts.clear();
        }
        restarter.shutdownNow();
        stopping.forEach(DeliveryWorker::stop);
        for (DeliveryWorker worker : stopping) {
            worker.join(STOP_TIMEOUT);
        }
        factory.close();
    }
}
