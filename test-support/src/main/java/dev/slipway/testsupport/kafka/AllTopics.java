package dev.slipway.testsupport.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Every record of every topic on a broker, as text, for tests that prove something never reached Kafka. */
public final class AllTopics {

    private AllTopics() {
    }

    /** Keys, values and headers of all records now on the broker (internal topics included). */
    public static List<String> recordsAsText(String bootstrapServers) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        Set<String> topics;
        try (Admin admin = Admin.create(config)) {
            topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get();
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> texts = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic,
                        info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    StringBuilder text = new StringBuilder(record.topic()).append(' ');
                    append(text, record.key());
                    append(text, record.value());
                    for (Header header : record.headers()) {
                        text.append(' ').append(header.key()).append('=');
                        append(text, header.value());
                    }
                    texts.add(text.toString());
                }
            }
        }
        return texts;
    }

    private static void append(StringBuilder text, byte[] bytes) {
        if (bytes != null) {
            text.append(new String(bytes, StandardCharsets.UTF_8)).append(' ');
        }
    }
}
