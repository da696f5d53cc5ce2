package dev.slipway.upload.webhooks;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventFormatException;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.upload.api.LogSafe;
import dev.slipway.upload.api.ShownEvents;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.logging.EventMdc;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 * Delivers one subscription's events as member of the consumer group {@code slipway-webhook-<id>}:
 * with several replicas each partition, hence each push, is delivered by one of them. An event is
 * retried until its target takes it and only then is its offset committed, so nothing is skipped
 * and a push's events arrive in log order. The worker owns no thread: it runs in short steps on a
 * pool that all subscriptions share ({@code slipway.webhooks.delivery-threads}), one step at a time,
 * and never blocks a step on a target: the attempt runs on the sender's pool and its end schedules
 * the next step. While it waits between attempts the worker keeps polling with its partitions
 * paused, so the group does not think it dead. Any Throwable fails one record, never the worker: a
 * record that cannot be read is skipped, an attempt that fails in Slipway is tried again like one
 * the target refused. A worker whose consumer fails anyway reports its death, and
 * {@link WebhookWorkers} starts another.
 */
final class DeliveryWorker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    /** Longest a step waits in a poll: steps of other subscriptions wait for the thread meanwhile. */
    private static final Duration POLL = Duration.ofMillis(5);
    /** How often a worker with nothing in hand, or waiting, polls again. */
    private static final long IDLE_MILLIS = 200;

    /** The event in hand and how delivering it went so far. */
    private static final class InHand {
        final ConsumerRecord<String, byte[]> record;
        final Event<EventData> event;
        final byte[] body;
        final List<Integer> statusCodes = new ArrayList<>();
        int attempts;
        long nextAttemptNanos = System.nanoTime();
        long attemptStartedNanos;
        CompletableFuture<WebhookSender.Attempt> attempt;

        InHand(ConsumerRecord<String, byte[]> record, Event<EventData> event, byte[] body) {
            this.record = record;
            this.event = event;
            this.body = body;
        }
    }

    private final Subscription subscription;
    private final String url;
    private final String secret;
    private final EventFilter filter;
    private final Properties consumerConfig;
    private final WebhookSender sender;
    private final CircuitBreaker breaker;
    private final IntervalFunction backoff;
    private final DeliveryLog deliveries;
    private final ScheduledExecutorService steps;
    private final EventDeserializer events = new EventDeserializer();
    private final BiConsumer<DeliveryWorker, Throwable> onDeath;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile long startedNanos;
    private volatile boolean running = true;
    private volatile boolean alive;
    // touched by steps only, which run one at a time (under this lock)
    private final Object stepping = new Object();
    private KafkaConsumer<String, byte[]> consumer;
    private volatile InHand inHand;
    private boolean lostInHand;

    DeliveryWorker(Subscription subscription, String url, String secret, Map<String, Object> kafkaConfig,
                   WebhookSender sender, CircuitBreaker breaker, IntervalFunction backoff, DeliveryLog deliveries,
                   ScheduledExecutorService steps, BiConsumer<DeliveryWorker, Throwable> onDeath) {
        this.subscription = subscription;
        this.url = url;
        this.secret = secret;
        this.filter = new EventFilter(subscription);
        this.sender = sender;
        this.breaker = breaker;
        this.backoff = backoff;
        this.deliveries = deliveries;
        this.steps = steps;
        this.onDeath = onDeath;
        this.consumerConfig = new Properties();
        consumerConfig.putAll(kafkaConfig);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(subscription.id()));
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "webhook-" + subscription.id());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // one record at a time: nothing fetched is in hand when a retry pauses or the group rebalances
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    }

    static String groupId(String subscriptionId) {
        return "slipway-webhook-" + subscriptionId;
    }

    String subscriptionId() {
        return subscription.id();
    }

    void start() {
        startedNanos = System.nanoTime();
        alive = true;
        schedule(0);
    }

    /** True from start until the worker stopped or died. */
    boolean isAlive() {
        return alive;
    }

    /** How long the worker has been running. */
    Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** Asks the worker to stop; an event in delivery stays uncommitted and is delivered again later. */
    void stop() {
        running = false;
        InHand current = inHand;
        if (current != null && current.attempt != null) {
            current.attempt.cancel(true);
        }
        schedule(0);
    }

    void join(Duration timeout) throws InterruptedException {
        ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void schedule(long delayMillis) {
        try {
            steps.schedule(this::step, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the pool is closing with the service: nothing more to do
        }
    }

    private void step() {
        Throwable died = null;
        synchronized (stepping) {
            if (!alive) {
                return;
            }
            if (running) {
                try {
                    long next = advance();
                    if (next >= 0) {
                        schedule(next);
                    }
                    return;
                } catch (WakeupException stopping) {
                    // stop() came during a poll
                } catch (Throwable e) {
                    died = e;
                    log.error("webhook worker of subscription {} died: {}", subscription.id(), e, e);
                }
            }
            close();
            alive = false;
            ended.countDown();
        }
        if (died != null && running) {
            onDeath.accept(this, died);
        }
    }

    /** One step; answers when to take the next one, or -1 when the attempt under way will say. */
    private long advance() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.EVENTS), new LostPartitions());
        }
        if (inHand == null) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                inHand = take(record);
                if (inHand == null) {
                    commit(record);
                    return 0;
                }
                lostInHand = false;
                consumer.pause(consumer.assignment());
            }
            if (inHand == null) {
                return IDLE_MILLIS;
            }
        }
        InHand current = inHand;
        try (EventMdc.Scope delivering = EventMdc.open(current.event)) {
            return deliver(current);
        }
    }

    /** One step with an event in hand, while the log lines name its push. */
    private long deliver(InHand current) {
        if (current.attempt != null) {
            if (!current.attempt.isDone()) {
                return -1;
            }
            if (settle(current)) {
                commit(current.record);
                release();
                return 0;
            }
        }
        if (lostInHand) {
            // the group gave its partition to another member, which delivers it from the last commit
            release();
            return 0;
        }
        long wait = current.nextAttemptNanos - System.nanoTime();
        if (wait > 0) {
            pausedPoll();
            return Math.min(IDLE_MILLIS, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
        }
        if (!breaker.tryAcquirePermission()) {
            current.nextAttemptNanos = System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(backoff.apply(Math.max(current.attempts, 1)));
            pausedPoll();
            return IDLE_MILLIS;
        }
        current.attempts++;
        current.attemptStartedNanos = System.nanoTime();
        current.attempt = sender.send(subscription.id(), url, secret, current.event.id(),
                current.event.trace(), current.body);
        current.attempt.whenComplete((done, error) -> schedule(0));
        return -1;
    }

    /** How the attempt went: true when delivered, otherwise the next attempt is set. */
    private boolean settle(InHand current) {
        WebhookSender.Attempt attempt;
        try {
            attempt = current.attempt.join();
        } catch (CancellationException stopping) {
            breaker.releasePermission();
            current.attempt = null;
            return false;
        } catch (CompletionException | Error failed) {
            // Slipway failed, not the target: the breaker does not count it, the event is tried again
            Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
            breaker.releasePermission();
            log.error("webhook {}: sending {} failed: {}", subscription.id(), current.event.id(), cause, cause);
            deliveries.record(subscription.id(), new Delivery(current.event.id(), current.event.type().type(),
                    current.event.correlationId(), current.attempts, current.statusCodes, "not sent: " + cause, false,
                    Instant.now()), null);
            retryLater(current);
            return false;
        }
        long took = System.nanoTime() - current.attemptStartedNanos;
        if (attempt.targetInTrouble()) {
            breaker.onError(took, TimeUnit.NANOSECONDS, new IllegalStateException(attempt.error()));
        } else {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
        if (attempt.statusCode() != null) {
            current.statusCodes.add(attempt.statusCode());
        }
        deliveries.record(subscription.id(), new Delivery(current.event.id(), current.event.type().type(),
                current.event.correlationId(), current.attempts, current.statusCodes, attempt.error(),
                attempt.delivered(), Instant.now()), attempt.statusCode());
        if (attempt.delivered()) {
            return true;
        }
        retryLater(current);
        log.info("webhook {}: attempt {} to deliver {} failed ({}); trying again", subscription.id(),
                current.attempts, current.event.id(), LogSafe.text(attempt.error()));
        return false;
    }

    private void retryLater(InHand current) {
        current.attempt = null;
        current.nextAttemptNanos = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(backoff.apply(Math.max(current.attempts, 1)));
    }

    private void release() {
        inHand = null;
        lostInHand = false;
        consumer.resume(consumer.paused());
    }

    /** Stays in the group while an event is in hand: polls with every partition paused, taking nothing. */
    private void pausedPoll() {
        consumer.pause(consumer.assignment());
        ConsumerRecords<String, byte[]> taken = consumer.poll(Duration.ZERO);
        // a partition assigned during the wait is not paused: give back what came from it
        for (TopicPartition partition : taken.partitions()) {
            consumer.seek(partition, taken.records(partition).get(0).offset());
            consumer.pause(List.of(partition));
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

    /** The record to deliver, or null when it is done with: not wanted, or unreadable. */
    private InHand take(ConsumerRecord<String, byte[]> record) {
        try {
            Event<EventData> event = events.deserialize(record.topic(), record.headers(), record.value());
            if (event == null || !filter.test(event)) {
                return null;
            }
            return new InHand(record, event, EventCodec.toStructuredJson(ShownEvents.shown(event)));
        } catch (EventFormatException unreadable) {
            log.warn("webhook {} skips {}-{}@{}: {}", subscription.id(), record.topic(), record.partition(),
                    record.offset(), unreadable.getMessage());
            return null;
        } catch (Throwable failed) {
            // reading it again would fail again: the record fails, the subscription's later events go on
            log.error("webhook {} skips {}-{}@{}, which could not be read: {}", subscription.id(), record.topic(),
                    record.partition(), record.offset(), failed, failed);
            return null;
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

    /** Notes when the partition of the event in hand leaves this member; its new owner delivers it. */
    private final class LostPartitions implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            InHand current = inHand;
            if (current != null && partitions.contains(new TopicPartition(current.record.topic(),
                    current.record.partition()))) {
                lostInHand = true;
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
