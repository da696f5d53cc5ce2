package dev.slipway.events.spring;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads a whole topic from the beginning and keeps following it, handing every record to one
 * handler on one thread. This is how the API's state is rebuilt from Kafka: every replica reads the
 * same records in the same order, so every replica answers the same, and a restart loses nothing.
 * A record the handler fails on (any Throwable) is skipped; a thread that ends anyway turns the
 * {@code consumers} health check DOWN.
 */
public class TopicFollower implements SmartLifecycle, ConsumerParts {

    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);
    /** A follower commits nothing and belongs to no group: closing its consumer has little to wait for. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final Runnable ENDED = () -> { };

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Runnable onCaughtUp;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** Where the following thread is: the next offset it will hand over, per partition. */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile Throwable stoppedBy;
    /** Told, once, when the following thread has closed its consumer; see {@link #stop(Runnable)}. */
    private final AtomicReference<Runnable> whenStopped = new AtomicReference<>();

    public TopicFollower(String topic, Map<String, Object> kafkaConfig, Consumer<ConsumerRecord<String, byte[]>> handler) {
        this(topic, kafkaConfig, handler, () -> { });
    }

    /**
     * Also runs {@code onCaughtUp} once, on the following thread, when the records that existed at
     * start have been handled: what the handler sees after it is news, and before it is history.
     */
    public TopicFollower(String topic, Map<String, Object> kafkaConfig, Consumer<ConsumerRecord<String, byte[]>> handler,
                         Runnable onCaughtUp) {
        this.topic = topic;
        this.consumerConfig = Map.copyOf(kafkaConfig);
        this.handler = handler;
        this.onCaughtUp = onCaughtUp;
    }

    /** Waits until every record that existed when following began has been handled. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /**
     * Waits until every record on the topic when this is called has been handled: asks the broker for
     * the partitions' ends and waits for this follower to pass them. False when that took too long.
     */
    public boolean catchUp(Admin admin, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!awaitCaughtUp(timeout)) {
            return false;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        positions.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        try {
            admin.listOffsets(latest).all().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .forEach((partition, end) -> ends.put(partition, end.offset()));
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cannot read the end of {}: {}", topic, e.getMessage());
            return false;
        }
        synchronized (positions) {
            while (!ends.entrySet().stream().allMatch(end -> positions.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(positions, Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
            }
        }
        return true;
    }

    @Override
    public void start() {
        Properties config = new Properties();
        config.putAll(consumerConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        whenStopped.set(null);
        thread = new Thread(this::follow, "follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record);
                }
                if (caughtUp.getCount() == 0) {
                    passed(partitions);
                }
                if (caughtUp.getCount() > 0 && ends.entrySet().stream()
                        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                    passed(partitions);
                    caughtUp.countDown();
                    log.info("caught up with {}", topic);
                    runCaughtUp();
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke the consumer
        } catch (Throwable e) {
            stoppedBy = e;
            log.error("stopped following {}: {}", topic, e.getMessage(), e);
        } finally {
            try {
                consumer.close(CLOSE_TIMEOUT);
            } finally {
                Runnable waiting = whenStopped.getAndSet(ENDED);
                if (waiting != null) {
                    waiting.run();
                }
            }
        }
    }

    /** Publishes how far the handler has got, for {@link #catchUp}. */
    private void passed(List<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            positions.put(partition, consumer.position(partition));
        }
        synchronized (positions) {
            positions.notifyAll();
        }
    }

    private void runCaughtUp() {
        try {
            onCaughtUp.run();
        } catch (Throwable e) {
            log.warn("after catching up with {}: {}", topic, e.getMessage(), e);
        }
    }

    private List<TopicPartition> partitions() {
        while (running) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            }
            log.info("waiting for topic {} to exist", topic);
        }
        throw new WakeupException();
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            handler.accept(record);
        } catch (Throwable e) {
            // one bad record must not stop the view of everything after it, even when it ran out of memory
            log.error("skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    PartStatus.describe(e), e);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(CLOSE_TIMEOUT.plusSeconds(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops without waiting here: Spring waits for the callback (at most the shutdown phase), so the
     * followers of a service close their consumers at the same time rather than one after the other.
     */
    @Override
    public void stop(Runnable callback) {
        running = false;
        // Spring counts callbacks: exactly one, from here if the thread already ended, else from the thread
        if (thread == null || !whenStopped.compareAndSet(null, callback)) {
            callback.run();
            return;
        }
        consumer.wakeup();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped when the following thread has ended while it should run. */
    @Override
    public List<PartStatus> partStatuses() {
        String part = "follower of " + topic;
        Thread following = thread;
        if (!running || following == null) {
            return List.of(PartStatus.idle(part, "not following"));
        }
        if (!following.isAlive()) {
            Throwable cause = stoppedBy;
            return List.of(PartStatus.stopped(part, "stopped" + (cause == null ? "" : ": " + PartStatus.describe(cause))));
        }
        return List.of(caughtUp.getCount() == 0 ? PartStatus.running(part) : PartStatus.idle(part, "catching up"));
    }
}
