package dev.slipway.upload.webhooks;

import dev.slipway.events.secrets.SecretBox;
import io.github.resilience4j.core.IntervalFunction;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Makes a subscription's worker with what all workers share: Kafka settings, the pool their steps
 * run on, the HTTP client, breakers, backoff.
 */
class DeliveryWorkerFactory implements AutoCloseable {

    private final Map<String, Object> kafkaConfig;
    private final SecretBox secrets;
    private final WebhookSender sender;
    private final TargetBreakers breakers;
    private final IntervalFunction backoff;
    private final DeliveryLog deliveries;
    private final ScheduledExecutorService steps;

    DeliveryWorkerFactory(Map<String, Object> kafkaConfig, SecretBox secrets, WebhookProperties properties,
                          WebhookTargets targets, DeliveryLog deliveries) {
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.secrets = secrets;
        this.sender = new WebhookSender(properties.timeout(), properties.maxResponseSize().toBytes(),
                properties.maxConcurrentDeliveries(), targets);
        this.breakers = new TargetBreakers(properties.maxWait());
        this.backoff = properties.backoff();
        this.deliveries = deliveries;
        AtomicInteger count = new AtomicInteger();
        this.steps = Executors.newScheduledThreadPool(properties.deliveryThreads(), task -> {
            Thread thread = new Thread(task, "webhook-steps-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A worker that calls {@code onDeath} if its thread ends without having been asked to stop. */
    DeliveryWorker workerFor(Subscription subscription, BiConsumer<DeliveryWorker, Throwable> onDeath) {
        if (subscription.sealedUrl() == null) {
            throw new IllegalStateException("it was stored before webhook URLs were sealed; delete it and subscribe "
                    + "again");
        }
        String url = secrets.open(subscription.sealedUrl());
        return new DeliveryWorker(subscription, url, secrets.open(subscription.sealedSecret()), kafkaConfig, sender,
                breakers.of(url), backoff, deliveries, steps, onDeath);
    }

    @Override
    public void close() {
        steps.shutdownNow();
        sender.close();
    }
}
