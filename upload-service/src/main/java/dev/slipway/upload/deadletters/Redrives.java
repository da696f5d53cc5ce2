package dev.slipway.upload.deadletters;

import dev.slipway.events.EventJson;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letters already redriven, in upload-service's compacted topic {@link #TOPIC} keyed
 * {@code <topic>/<partition>/<offset>}, read back on start: a dead letter is redriven once, whoever
 * asks and however often.
 */
class Redrives {

    /** upload-service's own: no other service reads it. */
    static final String TOPIC = "slipway.dead-letter-redrives";

    private static final Logger log = LoggerFactory.getLogger(Redrives.class);

    /** When a dead letter was redriven, and by whom. */
    record Redrive(Instant at, String by) {
    }

    private final Map<String, Redrive> redriven = new ConcurrentHashMap<>();
    private final Producer<String, byte[]> producer;

    Redrives(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    Optional<Redrive> of(DeadLetter letter) {
        return Optional.ofNullable(redriven.get(letter.redriveKey()));
    }

    /** Remembers the redrive; on the broker when this returns. */
    void record(DeadLetter letter, Redrive redrive) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, letter.redriveKey(), EventJson.mapper()
                    .writeValueAsBytes(redrive))).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(TOPIC + " did not take " + letter.redriveKey() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + TOPIC, e);
        }
        redriven.put(letter.redriveKey(), redrive);
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            redriven.remove(record.key());
            return;
        }
        try {
            redriven.put(record.key(), EventJson.mapper().readValue(record.value(), Redrive.class));
        } catch (RuntimeException unreadable) {
            log.warn("ignoring unreadable entry {} of {}: {}", record.key(), TOPIC, unreadable.getMessage());
        }
    }
}
