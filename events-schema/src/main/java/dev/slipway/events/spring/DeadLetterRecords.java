package dev.slipway.events.spring;

import dev.slipway.events.StageAttempt;
import dev.slipway.events.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * What a dead letter ({@link Topics#deadLetter}, written by {@link DeadLetterErrorHandling}) says, and
 * how it goes back: the original record - same key, value and headers, so the same event id - on
 * {@link Topics#EVENTS}, in the partition it came from; and a tombstone for the consumer group's mark
 * in the attempt ledger, so a record that crashed its consumer is given fresh attempts.
 */
public final class DeadLetterRecords {

    /** Headers the recoverer adds to a dead letter (original topic, partition, offset, exception). */
    private static final String RECOVERER_PREFIX = KafkaHeaders.PREFIX + "dlt-";
    private static final String TOPIC_PREFIX = Topics.deadLetter("");

    private DeadLetterRecords() {
    }

    /** The consumer group whose dead letters {@code topic} holds, when it is a dead-letter topic of the log. */
    public static Optional<String> service(String topic) {
        return topic.startsWith(TOPIC_PREFIX) && topic.length() > TOPIC_PREFIX.length()
                ? Optional.of(topic.substring(TOPIC_PREFIX.length())) : Optional.empty();
    }

    /** Why the service gave up on the record ({@link DeadLetterErrorHandling#REASON_HEADER}), or empty. */
    public static Optional<String> reason(ConsumerRecord<byte[], byte[]> deadLetter) {
        return text(deadLetter.headers().lastHeader(DeadLetterErrorHandling.REASON_HEADER));
    }

    /** The original record, for {@link Topics#EVENTS}: the dead letter without what the recoverer added. */
    public static ProducerRecord<byte[], byte[]> original(ConsumerRecord<byte[], byte[]> deadLetter) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : deadLetter.headers()) {
            if (!header.key().startsWith(RECOVERER_PREFIX) && !header.key().equals(DeadLetterErrorHandling.REASON_HEADER)) {
                headers.add(header);
            }
        }
        Integer partition = originalPartition(deadLetter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION));
        return new ProducerRecord<>(Topics.EVENTS, partition, deadLetter.key(), deadLetter.value(), headers);
    }

    /** Clears {@code group}'s attempt mark for the event in {@link Topics#STAGE_ATTEMPTS}. */
    public static ProducerRecord<byte[], byte[]> clearAttempts(String group, String eventId) {
        return new ProducerRecord<>(Topics.STAGE_ATTEMPTS, StageAttempt.key(group, eventId)
                .getBytes(StandardCharsets.UTF_8), null);
    }

    /** The recoverer writes the partition as a 4-byte int; without one, the key's partition. */
    private static Integer originalPartition(Header header) {
        if (header == null || header.value() == null || header.value().length != Integer.BYTES) {
            return null;
        }
        int partition = ByteBuffer.wrap(header.value()).getInt();
        return partition >= 0 ? partition : null;
    }

    private static Optional<String> text(Header header) {
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
