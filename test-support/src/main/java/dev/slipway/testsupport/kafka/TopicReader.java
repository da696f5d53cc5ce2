package dev.slipway.testsupport.kafka;

import dev.slipway.events.spring.TopicCreation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every record of one topic from the beginning, as a downstream consumer would see it
 * (raw key, headers and bytes), and waits for records with Awaitility rather than sleeping.
 */
public class TopicReader implements AutoCloseable {

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, String topic) {
        this.topic = topic;
        ensureTopic(bootstrapServers, topic);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        // assigned, not subscribed: no group rebalance to wait for
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public String topic() {
        return topic;
    }

    /** Everything read so far, in the order read (per partition, the topic's order). */
    public synchronized List<ConsumerRecord<String, byte[]>> poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** Waits until a record matches, failing after {@code timeout} with the records seen so far. */
    public ConsumerRecord<String, byte[]> await(Predicate<ConsumerRecord<String, byte[]>> match, Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInSameThread().pollInterval(Duration.ofMillis(50))
                .until(() -> poll().stream().filter(match).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    /** Waits until at least {@code count} records match and returns them all. */
    public List<ConsumerRecord<String, byte[]>> awaitCount(Predicate<ConsumerRecord<String, byte[]>> match,
                                                           int count, Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInSameThread().pollInterval(Duration.ofMillis(50))
                .until(() -> poll().stream().filter(match).toList(), matched -> matched.size() >= count);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    static void ensureTopic(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicCreation.createIfMissing(admin, new NewTopic(topic, Optional.empty(), Optional.empty()),
                    Duration.ofSeconds(30));
        }
    }
}
