package dev.slipway.events.spring;

import dev.slipway.events.StageAttempt;
import dev.slipway.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer group's view of {@link Topics#STAGE_ATTEMPTS}: the events it began and did not finish,
 * with how many times. Before every answer the view is brought up to the topic's end, so what another
 * replica (or this service before a restart) wrote is counted; every write is on the broker before
 * the call returns. Opened on first use: a service that guards no stage never touches the topic.
 */
final class AttemptLedger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AttemptLedger.class);

    private final String group;
    private final Map<String, Object> kafkaConfig;
    private final Duration timeout;
    private final Map<String, Integer> unfinished = new HashMap<>();
    private KafkaConsumer<String, byte[]> reader;
    private KafkaProducer<String, byte[]> writer;
    private List<TopicPartition> partitions;

    AttemptLedger(String group, Map<String, Object> kafkaConfig, Duration timeout) {
        this.group = group;
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.timeout = timeout;
    }

    /** Attempts at {@code eventId} that began and never finished, as far as the broker knows now. */
    synchronized int unfinished(String eventId) {
        open();
        catchUp();
        return unfinished.getOrDefault(eventId, 0);
    }

    /** Marks attempt number {@code attempt} as begun; on the broker when this returns. */
    synchronized void begin(String eventId, int attempt) {
        open();
        write(StageAttempt.key(group, eventId), new StageAttempt(group, eventId, attempt).toJson());
        unfinished.put(eventId, attempt);
    }

    /** Removes the mark: the work ended in this process, however it ended. */
    synchronized void end(String eventId) {
        open();
        write(StageAttempt.key(group, eventId), null);
        unfinished.remove(eventId);
    }

    private void open() {
        if (writer != null) {
            return;
        }
        try (Admin admin = Admin.create(kafkaConfig)) {
            // one partition: the whole ledger is read in order; compacted: only unfinished attempts stay
            TopicCreation.createIfMissing(admin, TopicCreation.compacted(Topics.STAGE_ATTEMPTS), timeout);
        }
        Map<String, Object> consumerConfig = new HashMap<>(kafkaConfig);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer());
        // every partition, should the topic have been made with more than one (a key stays in its partition)
        List<TopicPartition> found = consumer.partitionsFor(Topics.STAGE_ATTEMPTS, timeout).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (found.isEmpty()) {
            consumer.close(Duration.ZERO);
            producer.close(Duration.ZERO);
            throw new IllegalStateException("the broker does not know " + Topics.STAGE_ATTEMPTS + " yet");
        }
        // read from the beginning once: the attempts of this service's earlier lives
        consumer.assign(found);
        consumer.seekToBeginning(found);
        partitions = found;
        reader = consumer;
        writer = producer;
    }

    private void catchUp() {
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ends.entrySet().stream().anyMatch(end -> reader.position(end.getKey(), timeout) < end.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + Topics.STAGE_ATTEMPTS + " up to " + ends
                        + " within " + timeout);
            }
            reader.poll(Duration.ofMillis(100)).forEach(this::apply);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        String prefix = StageAttempt.key(group, "");
        if (record.key() == null || !record.key().startsWith(prefix)) {
            return;  // another service's attempts
        }
        String eventId = record.key().substring(prefix.length());
        if (record.value() == null) {
            unfinished.remove(eventId);
            return;
        }
        try {
            unfinished.put(eventId, StageAttempt.fromJson(record.value()).attempts());
        } catch (RuntimeException unreadable) {
            log.warn("ignoring unreadable entry {} of {}@{}: {}", record.key(), Topics.STAGE_ATTEMPTS,
                    record.offset(), unreadable.getMessage());
        }
    }

    private void write(String key, byte[] value) {
        try {
            writer.send(new ProducerRecord<>(Topics.STAGE_ATTEMPTS, key, value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(Topics.STAGE_ATTEMPTS + " refused " + key + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(Topics.STAGE_ATTEMPTS + " did not take " + key + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + key + " to " + Topics.STAGE_ATTEMPTS, e);
        }
    }

    @Override
    public synchronized void close() {
        if (reader != null) {
            reader.close(Duration.ofSeconds(5));
            writer.close(Duration.ofSeconds(5));
        }
    }
}
