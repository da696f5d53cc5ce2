package dev.slipway.testsupport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventFormatException;
import dev.slipway.events.EventType;
import dev.slipway.events.StageRequested;
import dev.slipway.events.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
class EventLogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void anEventPublishedOnTheRealBrokerIsReadBackWithKeyAndHeaders(EmbeddedKafkaBroker broker) {
        String blobUid = UUID.randomUUID().toString();
        try (EventLog log = new EventLog(broker.getBrokersAsString())) {
            Event<StageRequested> sent = log.publish(Event.start(URI.create("/slipway/test"),
                    new StageRequested(blobUid, new AppRef("workspace", "hello"), null, AppSettings.defaults(), null)));

            ConsumerRecord<String, byte[]> record = log.awaitRecord(sent.id(), EventType.STAGE_REQUESTED, TIMEOUT);

            assertThat(record.key()).isEqualTo(blobUid);
            assertThat(EventLog.header(record, "ce_type")).isEqualTo("dev.slipway.stage.requested.v1");
            assertThat(log.decode(record)).isEqualTo(sent);
            assertThat(log.eventsOf(sent.id())).singleElement().isEqualTo(sent);
        }
    }

    @Test
    void aRawRecordIsWrittenAsGivenAndRefusedByTheSerde(EmbeddedKafkaBroker broker) {
        String key = UUID.randomUUID().toString();
        try (EventLog log = new EventLog(broker.getBrokersAsString())) {
            log.publishRaw(key, "garbage".getBytes(StandardCharsets.UTF_8), List.of());

            ConsumerRecord<String, byte[]> record = log.awaitRecord(candidate -> key.equals(candidate.key()), TIMEOUT);

            assertThatThrownBy(() -> log.decode(record)).isInstanceOf(EventFormatException.class)
                    .hasMessageContaining("lacks the header(s) ce_id");
        }
    }
}
