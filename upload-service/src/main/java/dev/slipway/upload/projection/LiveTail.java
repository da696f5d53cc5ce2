package dev.slipway.upload.projection;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.spring.ConsumerParts;
import dev.slipway.events.spring.PartStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Reads the event log from its end as it is written, in no group, and hands each event to the
 * {@link RecentEvents}: followers of a push (event streams, Epinio's staging waiter) hear of an event
 * the moment it is on the log, on whichever replica they wait, without the stores' commit delay.
 */
class LiveTail implements SmartLifecycle, ConsumerParts {

    private static final Logger log = LoggerFactory.getLogger(LiveTail.class);
    private static final String PART = "live tail of " + Topics.EVENTS;

    private final Map<String, Object> kafka;
    private final RecentEvents recent;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile Throwable stoppedBy;

    LiveTail(Map<String, Object> kafka, RecentEvents recent) {
        this.kafka = Map.copyOf(kafka);
        this.recent = recent;
    }

    @Override
    public void start() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<String, byte[]> tail = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = tail.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        tail.assign(partitions);
        tail.seekToEnd(partitions);
        partitions.forEach(tail::position);  // the end as of now: what the stores do not have yet comes after it
        consumer = tail;
        stoppedBy = null;
        running = true;
        thread = new Thread(this::follow, "push-events-live-tail");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        EventDeserializer events = new EventDeserializer();
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        Event<EventData> event = events.deserialize(record.topic(), record.headers(), record.value());
                        if (event != null) {
                            recent.apply(event);
                        }
                    } catch (RuntimeException notAnEvent) {
                        log.debug("skipping a record that is no event: {}", notAnEvent.getMessage());
                    }
                }
            }
        } catch (WakeupException stopping) {
            // stop() woke the consumer
        } catch (Throwable failed) {
            stoppedBy = failed;
            log.error("the live tail of {} stopped", Topics.EVENTS, failed);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread following = thread;
        if (following != null) {
            try {
                following.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public List<PartStatus> partStatuses() {
        Thread following = thread;
        if (!running) {
            return List.of(PartStatus.idle(PART, "not started"));
        }
        if (following == null || !following.isAlive()) {
            return List.of(PartStatus.stopped(PART, stoppedBy == null ? "ended" : stoppedBy.toString()));
        }
        return List.of(PartStatus.running(PART));
    }
}
