package dev.slipway.events.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.spring.teststage.BrokenPolls;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** A follower on a real broker: an Error in its handler skips one record; a thread that ends turns health DOWN. */
@EmbeddedKafka(partitions = 1, topics = TopicFollowerTest.TOPIC)
class TopicFollowerTest {

    static final String TOPIC = "followed";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aRecordWhoseHandlerThrowsAnErrorIsSkippedAndTheFollowerGoesOn(EmbeddedKafkaBroker broker) throws Exception {
        publish(broker, "too deep", "fine");
        List<String> handled = new CopyOnWriteArrayList<>();
        TopicFollower follower = new TopicFollower(TOPIC, kafka(broker, "skipping"), record -> {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (value.equals("too deep")) {
                recurse(0);
            }
            handled.add(value);
        });
        follower.start();
        try {
            await().atMost(TIMEOUT).until(() -> handled.contains("fine"));
            assertThat(follower.awaitCaughtUp(TIMEOUT)).isTrue();
            assertThat(follower.partStatuses()).containsExactly(PartStatus.running("follower of " + TOPIC));
        } finally {
            follower.stop();
        }
    }

    @Test
    void aFollowerWhoseThreadEndsTurnsTheConsumersHealthDown(EmbeddedKafkaBroker broker) throws Exception {
        publish(broker, "anything");
        BrokenPolls.breakNextPollOf("breaking");
        TopicFollower follower = new TopicFollower(TOPIC, kafka(broker, "breaking"), record -> { });
        ConsumersHealthIndicator health = new ConsumersHealthIndicator(new StaticListableBeanFactory(
                Map.of("follower", follower)).getBeanProvider(ConsumerParts.class));
        follower.start();
        try {
            Health down = await().atMost(TIMEOUT).until(() -> health.health(true),
                    current -> current.getStatus().equals(Status.DOWN));
            assertThat(down.getDetails()).isEqualTo(Map.of("follower of " + TOPIC,
                    "stopped: OutOfMemoryError: test: the consumer breaking broke down"));
        } finally {
            follower.stop();
        }
        // stopped on purpose: in order
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
    }

    private static Map<String, Object> kafka(EmbeddedKafkaBroker broker, String clientId) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, BrokenPolls.class.getName());
    }

    private static void publish(EmbeddedKafkaBroker broker, String... values) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, value.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
