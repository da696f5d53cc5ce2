package dev.slipway.local;

import dev.slipway.events.Topics;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/** The pipeline smoke test on an embedded KRaft broker: runs everywhere. */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
class EmbeddedKafkaPipelineSmokeTest extends PipelineSmokeTest {

    @Override
    String bootstrapServers() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        return broker.getBrokersAsString();
    }
}
