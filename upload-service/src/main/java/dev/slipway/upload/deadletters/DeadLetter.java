package dev.slipway.upload.deadletters;

import dev.slipway.events.AppRef;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.kafka.EventHeaders;
import dev.slipway.events.spring.DeadLetterRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record a service gave up on, as read from its dead-letter topic.
 *
 * @param service    the consumer group that gave up (the topic's suffix)
 * @param record     the dead letter itself, which holds the original record
 * @param event      the original event, or empty when it cannot be read (a poison record)
 * @param unreadable why the record is not an event, when it is not
 */
record DeadLetter(String service, ConsumerRecord<byte[], byte[]> record, Optional<Event<EventData>> event,
                  String unreadable) {

    /** {@code <partition>-<offset>} in the service's dead-letter topic: what a redrive names. */
    String id() {
        return id(record.partition(), record.offset());
    }

    static String id(int partition, long offset) {
        return partition + "-" + offset;
    }

    /** The redrive ledger's key: each dead letter is redriven at most once. */
    String redriveKey() {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }

    /** The event's app; a poison record has none a caller could be checked against. */
    Optional<AppRef> app() {
        return event.map(read -> read.data().app());
    }

    /** The event id, read from the header when the event itself is unreadable. */
    Optional<String> eventId() {
        return event.map(Event::id).or(() -> header(EventHeaders.ID));
    }

    Optional<String> type() {
        return event.map(read -> read.type().type()).or(() -> header(EventHeaders.TYPE));
    }

    Optional<String> reason() {
        return DeadLetterRecords.reason(record);
    }

    Instant time() {
        return Instant.ofEpochMilli(record.timestamp());
    }

    private Optional<String> header(String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
