package dev.slipway.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
