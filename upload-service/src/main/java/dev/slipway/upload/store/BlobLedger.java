package dev.slipway.upload.store;

import dev.slipway.events.AppRef;
import dev.slipway.events.EventJson;
import dev.slipway.events.Topics;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * Every blob the store keeps, in the compacted {@link Topics#BLOBS} keyed like the object
 * ({@code <namespace>/<app>/<blob uid>}), a tombstone once deleted. The topic is the truth and this
 * map each replica's copy, rebuilt on start; it holds one entry per live blob, so quota usage - the
 * sum per namespace - does not depend on how long the event log keeps its records. A write is on the
 * broker before the map changes and before the API answers.
 */
public class BlobLedger {

    private static final Logger log = LoggerFactory.getLogger(BlobLedger.class);
    private static final long WRITE_TIMEOUT_SECONDS = 15;

    private final Map<String, StoredBlob> blobs = new ConcurrentHashMap<>();
    private final Producer<String, byte[]> producer;

    public BlobLedger(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Bytes of source the namespace keeps in the store. */
    public long usedBy(String namespace) {
        return blobs.values().stream().filter(blob -> blob.namespace().equals(namespace))
                .mapToLong(StoredBlob::sizeBytes).sum();
    }

    /** The app's blobs, newest first. */
    public List<StoredBlob> blobsOf(AppRef app) {
        return blobs.values().stream()
                .filter(blob -> blob.namespace().equals(app.namespace()) && blob.app().equals(app.name()))
                .sorted(Comparator.comparing(StoredBlob::storedAt).reversed())
                .toList();
    }

    public void record(StoredBlob blob) {
        send(blob.key(), EventJson.mapper().writeValueAsBytes(blob));
        blobs.put(blob.key(), blob);
    }

    public void forget(StoredBlob blob) {
        send(blob.key(), null);
        blobs.remove(blob.key());
    }

    /** One record of the topic: a blob, or a tombstone for a deleted one. */
    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            blobs.remove(record.key());
            return;
        }
        try {
            blobs.put(record.key(), EventJson.mapper().readValue(record.value(), StoredBlob.class));
        } catch (RuntimeException unreadable) {
            log.warn("ignoring unreadable entry {} of {}@{}: {}", record.key(), Topics.BLOBS, record.offset(),
                    unreadable.getMessage());
        }
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(Topics.BLOBS, key, value)).get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(Topics.BLOBS + " refused " + key + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(Topics.BLOBS + " did not take " + key + " within "
                    + WRITE_TIMEOUT_SECONDS + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + key + " to " + Topics.BLOBS, e);
        }
    }
}
