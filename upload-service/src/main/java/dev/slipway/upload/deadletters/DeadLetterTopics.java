package dev.slipway.upload.deadletters;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.spring.DeadLetterRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the dead-letter topics of the event log ({@code error.slipway.events.<service>}) whole, each
 * time it is asked: they are small, and read rarely, by an operator. At most {@code maxPerTopic} of
 * the newest records of each topic are read.
 */
class DeadLetterTopics {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Admin admin;
    private final Map<String, Object> kafkaConfig;
    private final int maxPerTopic;
    private final EventDeserializer events = new EventDeserializer();

    DeadLetterTopics(Admin admin, Map<String, Object> kafkaConfig, int maxPerTopic) {
        this.admin = admin;
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.maxPerTopic = maxPerTopic;
    }

    /** The services that have a dead-letter topic, sorted. */
    List<String> services() {
        try {
            return admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .map(DeadLetterRecords::service).flatMap(Optional::stream).sorted().toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not list its topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        }
    }

    /** The dead letters of {@code service}, oldest first. */
    List<DeadLetter> of(String service) {
        String topic = dev.slipway.events.Topics.deadLetter(service);
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // asking for a service that has no dead letters must not make a topic for it
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (partitions.isEmpty()) {
                return List.of();
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            partitions.forEach(partition -> consumer.seek(partition,
                    Math.max(starts.get(partition), ends.get(partition) - maxPerTopic)));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " up to its end within " + TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < ends.get(new TopicPartition(topic, record.partition()))) {
                        letters.add(read(service, record));
                    }
                }
            }
        }
        letters.sort(Comparator.comparing(DeadLetter::time).thenComparing(letter -> letter.record().partition())
                .thenComparing(letter -> letter.record().offset()));
        return letters;
    }

    private DeadLetter read(String service, ConsumerRecord<byte[], byte[]> record) {
        try {
            Event<EventData> event = events.deserialize(record.topic(), record.headers(), record.value());
            return event == null ? new DeadLetter(service, record, Optional.empty(), "the record has no value")
                    : new DeadLetter(service, record, Optional.of(event), null);
        } catch (RuntimeException unreadable) {
            return new DeadLetter(service, record, Optional.empty(), unreadable.getMessage());
        }
    }
}
