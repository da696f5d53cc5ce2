package dev.slipway.events.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.StageAttempt;
import dev.slipway.events.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The attempt ledger on a real broker: what one life (or replica) marks, the next one reads. The
 * topic has three partitions here, as a topic made by a broker's auto-creation might: all are read.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.STAGE_ATTEMPTS)
class AttemptLedgerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void marksLeftByAnEarlierLifeAreCountedAndAnEndedAttemptIsForgotten(EmbeddedKafkaBroker broker) {
        Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        String crashed = UUID.randomUUID().toString();
        String finished = UUID.randomUUID().toString();
        try (AttemptLedger earlierLife = new AttemptLedger("stage", kafka, TIMEOUT)) {
            assertThat(earlierLife.unfinished(crashed)).isZero();
            earlierLife.begin(crashed, 1);
            earlierLife.begin(finished, 1);
            earlierLife.end(finished);
            // another service's marks are its own
            new AttemptLedger("other-stage", kafka, TIMEOUT).begin(finished, 2);
        }

        try (AttemptLedger nextLife = new AttemptLedger("stage", kafka, TIMEOUT)) {
            assertThat(nextLife.unfinished(crashed)).isEqualTo(1);
            assertThat(nextLife.unfinished(finished)).isZero();
        }
    }

    @Test
    void marksWrittenByAnotherReplicaAfterStartAreCounted(EmbeddedKafkaBroker broker) throws Exception {
        Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        String eventId = UUID.randomUUID().toString();
        try (AttemptLedger replica = new AttemptLedger("stage", kafka, TIMEOUT);
             KafkaProducer<String, byte[]> other = new KafkaProducer<>(kafka, new StringSerializer(),
                     new ByteArraySerializer())) {
            assertThat(replica.unfinished(eventId)).isZero();
            StageAttempt died = new StageAttempt("stage", eventId, 2);
            other.send(new ProducerRecord<>(Topics.STAGE_ATTEMPTS, died.key(), died.toJson())).get();

            assertThat(replica.unfinished(eventId)).isEqualTo(2);
        }
    }
}
