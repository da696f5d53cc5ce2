package dev.slipway.local;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same smoke test on a Kafka broker in a container; skipped (and reported so) without Docker. */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersPipelineSmokeTest extends PipelineSmokeTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
