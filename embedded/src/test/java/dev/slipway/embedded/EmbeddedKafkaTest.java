package dev.slipway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    private static final String TOPIC = "kept";

    @Test
    void recordsSurviveAStopAndAStartOnTheSameFolder(@TempDir Path data) throws Exception {
        int port = LoopbackPorts.free();
        List<String> sent = IntStream.range(0, 20).mapToObj(i -> "record-" + i).toList();
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, port)) {
            assertThat(kafka.freshlyFormatted()).isTrue();
            clusterId = kafka.clusterId();
            produce(kafka, sent);
        }

        try (EmbeddedKafka restarted = EmbeddedKafka.start(data, port)) {
            assertThat(restarted.freshlyFormatted()).isFalse();
            assertThat(restarted.clusterId()).isEqualTo(clusterId);
            assertThat(restarted.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(consumeFromTheBeginning(restarted, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void startsAfreshOnAnEmptyFolderAfterAnotherBrokerStopped(@TempDir Path first, @TempDir Path second)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(first, LoopbackPorts.free())) {
            produce(kafka, List.of("one"));
        }
        try (EmbeddedKafka fresh = EmbeddedKafka.start(second, LoopbackPorts.free())) {
            assertThat(fresh.freshlyFormatted()).isTrue();
            produce(fresh, List.of("two"));
            assertThat(consumeFromTheBeginning(fresh, 1)).containsExactly("two");
        }
    }

    @Test
    void recordsPastTheirTopicsRetentionAreGoneWithinSecondsWhenTheBrokerChecksOften(@TempDir Path data)
            throws Exception {
        Duration retention = Duration.ofSeconds(2);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, LoopbackPorts.free(), 0, LogCleaning.forRetention(retention));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()))))).all().get();
            produce(kafka, List.of("old-1", "old-2", "old-3"));
            TopicPartition partition = new TopicPartition(TOPIC, 0);

            long started = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> admin.listOffsets(Map.of(partition,
                    OffsetSpec.earliest())).partitionResult(partition).get().offset() >= 3);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            produce(kafka, List.of("new"));
            assertThat(consumeFromTheBeginning(kafka, 1)).containsExactly("new");
        }
    }

    @Test
    void theBrokerKeepsKafkasOwnExpiryDefaultsUnlessToldAndShortensThemForAShortRetention() {
        assertThat(LogCleaning.KAFKA_DEFAULTS.retentionCheckInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(LogCleaning.forRetention(Duration.ofDays(30))).isEqualTo(LogCleaning.KAFKA_DEFAULTS);
        assertThat(LogCleaning.forRetention(Duration.ofSeconds(4)))
                .isEqualTo(new LogCleaning(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThat(LogCleaning.forRetention(Duration.ofMillis(1)).retentionCheckInterval()).isEqualTo(Duration.ofMillis(1));
    }

    private static void produce(EmbeddedKafka kafka, List<String> values) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, value, value)).get();
            }
        }
    }

    private static List<String> consumeFromTheBeginning(EmbeddedKafka kafka, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record.value());
                }
            }
        }
        return received;
    }
}
