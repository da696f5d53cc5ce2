package dev.slipway.upload.webhooks;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventFormatException;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.events.kafka.EventDeserializer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one subscription's events, on its own thread, as member of the consumer group
 * {@code slipway-webhook-<id>}: with several replicas each partition, hence each push, is delivered
 * by one of them. An event is retried until its target takes it and only then is its offset
 * committed, so nothing is skipped and a push's events arrive in log order. While it waits between
 * attempts the worker keeps polling with its partitions paused, so the group does not think it dead.
 * Any Throwable fails one record, never the worker: a record that cannot be read is skipped, an
 * attempt that fails in Slipway is tried again like one the target refused. A thread that ends
 * anyway (its consumer failed) reports its death, and {@link WebhookWorkers} starts another.
 */
final class DeliveryWorker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final Subscription subscription;
    private final String url;
    private final String secret;
    private final EventFilter filter;
    private final Properties consumerConfig;
    private final WebhookSender sender;
    private final CircuitBreaker breaker;
    private final IntervalFunction backoff;
    private final DeliveryLog deliveries;
    private final EventDeserializer events = new EventDeserializer();
    private final BiConsumer<DeliveryWorker, Throwable> onDeath;
    private final Thread thread;
    private volatile long startedNanos;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile CompletableFuture<WebhookSender.Attempt> inFlight = CompletableFuture.completedFuture(null);
    // the partition of the event being delivered, and whether the group took it away meanwhile
    private TopicPartition delivering;
    private boolean lostDelivering;

    DeliveryWorker(Subscription subscription, String url, String secret, Map<String, Object> kafkaConfig,
                   WebhookSender sender,
                   CircuitBreaker breaker, IntervalFunction backoff, DeliveryLog deliveries,
                   BiConsumer<DeliveryWorker, Throwable> onDeath) {
        this.subscription = subscription;
        this.url = url;
        this.secret = secret;
        this.filter = new EventFilter(subscription);
        this.sender = sender;
        this.breaker = breaker;
        this.backoff = backoff;
        this.deliveries = deliveries;
        this.onDeath = onDeath;
        this.consumerConfig = new Properties();
        consumerConfig.putAll(kafkaConfig);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(subscription.id()));
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "webhook-" + subscription.id());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // one record at a time: nothing fetched is in hand when a retry pauses or the group rebalances
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        this.thread = new Thread(this::run, "webhook-" + subscription.id());
        thread.setDaemon(true);
    }

    static String groupId(String subscriptionId) {
        return "slipway-webhook-" + subscriptionId;
    }

    String subscriptionId() {
        return subscription.id();
    }

    void start() {
        startedNanos = System.nanoTime();
        thread.start();
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** How long the worker has been running. */
    Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Asks the worker to stop; an event in delivery stays uncommitted and is delivered again later. */
    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        inFlight.cancel(true);
    }

    void join(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
    }

    private void run() {
        Throwable died = null;
        try {
            consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.EVENTS), new LostPartitions());
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (handle(record)) {
                        commit(record);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke the consumer
        } catch (Throwable e) {
            died = e;
            log.error("webhook worker of subscription {} died: {}", subscription.id(), e, e);
        } finally {
            close();
        }
        if (died != null && running) {
            onDeath.accept(this, died);
        }
    }

    private void close() {
        try {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(5));
            }
        } catch (RuntimeException e) {
            log.warn("webhook worker of subscription {}: closing its consumer failed: {}", subscription.id(),
                    e.getMessage());
        }
    }

    /** True when the record is done with: delivered, not wanted, or unreadable. */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        Event<EventData> event;
        byte[] body;
        try {
            event = events.deserialize(record.topic(), record.headers(), record.value());
            if (event == null || !filter.test(event)) {
                return true;
            }
            body = EventCodec.toStructuredJson(event);
        } catch (EventFormatException unreadable) {
            log.warn("webhook {} skips {}-{}@{}: {}", subscription.id(), record.topic(), record.partition(),
                    record.offset(), unreadable.getMessage());
            return true;
        } catch (Throwable failed) {
            // reading it again would fail again: the record fails, the subscription's later events go on
            log.error("webhook {} skips {}-{}@{}, which could not be read: {}", subscription.id(), record.topic(),
                    record.partition(), record.offset(), failed, failed);
            return true;
        }
        delivering = new TopicPartition(record.topic(), record.partition());
        lostDelivering = false;
        return deliver(event, body);
    }

    private boolean deliver(Event<EventData> event, byte[] body) {
        List<Integer> statusCodes = new ArrayList<>();
        int attempts = 0;
        while (running && !lostDelivering) {
            if (!breaker.tryAcquirePermission()) {
                pauseFor(Duration.ofMillis(backoff.apply(Math.max(attempts, 1))));
                continue;
            }
            attempts++;
            long started = System.nanoTime();
            WebhookSender.Attempt attempt;
            try {
                inFlight = sender.send(subscription.id(), url, secret, event.id(), body);
                if (!running) {
                    inFlight.cancel(true);
                }
                attempt = inFlight.join();
            } catch (CancellationException stopping) {
                breaker.releasePermission();
                return false;
            } catch (RuntimeException | Error failed) {
                // Slipway failed, not the target: the breaker does not count it, the event is tried again
                breaker.releasePermission();
                log.error("webhook {}: sending {} failed: {}", subscription.id(), event.id(), failed, failed);
                deliveries.record(subscription.id(), new Delivery(event.id(), event.type().type(),
                        event.correlationId(), attempts, statusCodes, "not sent: " + failed, false, Instant.now()));
                pauseFor(Duration.ofMillis(backoff.apply(attempts)));
                continue;
            }
            long took = System.nanoTime() - started;
            if (attempt.targetInTrouble()) {
                breaker.onError(took, TimeUnit.NANOSECONDS, new IllegalStateException(attempt.error()));
            } else {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            }
            if (attempt.statusCode() != null) {
                statusCodes.add(attempt.statusCode());
            }
            deliveries.record(subscription.id(), new Delivery(event.id(), event.type().type(), event.correlationId(),
                    attempts, statusCodes, attempt.error(), attempt.delivered(), Instant.now()));
            if (attempt.delivered()) {
                return true;
            }
            pauseFor(Duration.ofMillis(backoff.apply(attempts)));
        }
        return false;
    }

    /** Waits while staying in the group: polls with every partition paused, so no record is taken meanwhile. */
    private void pauseFor(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        consumer.pause(consumer.assignment());
        try {
            long left;
            while (running && !lostDelivering && (left = deadline - System.nanoTime()) > 0) {
                ConsumerRecords<String, byte[]> taken = consumer.poll(Duration.ofNanos(left));
                // a partition assigned during the wait is not paused: give back what came from it
                for (TopicPartition partition : taken.partitions()) {
                    consumer.seek(partition, taken.records(partition).get(0).offset());
                    consumer.pause(List.of(partition));
                }
            }
        } finally {
            consumer.resume(consumer.paused());
        }
    }

    private void commit(ConsumerRecord<String, byte[]> record) {
        try {
            consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1)));
        } catch (CommitFailedException e) {
            // the partition went to another member meanwhile; it goes on from the last commit
            log.info("webhook {}: commit of {}-{}@{} failed: {}", subscription.id(), record.topic(),
                    record.partition(), record.offset(), e.getMessage());
        }
    }

    /** Notes when the partition of the event in delivery leaves this member; its new owner delivers it. */
    private final class LostPartitions implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (delivering != null && partitions.contains(delivering)) {
                lostDelivering = true;
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
