package dev.slipway.upload.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Revoked tokens: per user, the moment before which every token and session cookie issued to them
 * is void (logout, or an admin ending a user's access). Kept in a compacted Kafka topic keyed by
 * user name, so every replica learns of a revocation and it outlives restarts; one record per user
 * at most, whatever the number of logins. Signed tokens stay stateless otherwise.
 */
public class Revocations {

    public static final String TOPIC = "slipway.auth-revocations";

    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    private final Producer<String, byte[]> producer;

    public Revocations(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Voids every token of {@code username} issued up to {@code moment}; stored before it is answered. */
    public void revoke(String username, Instant moment) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, username,
                    Long.toString(moment.toEpochMilli()).getBytes(StandardCharsets.US_ASCII))).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the revocation store (Kafka topic " + TOPIC + ") refused the write: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while revoking the tokens of a user", e);
        }
        notBefore.merge(username, moment, (old, now) -> now.isAfter(old) ? now : old);
    }

    public boolean isRevoked(String username, Instant issuedAt) {
        Instant cutoff = notBefore.get(username);
        return cutoff != null && !issuedAt.isAfter(cutoff);
    }

    /** Applies one record of the topic. */
    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            notBefore.remove(record.key());
            return;
        }
        Instant moment;
        try {
            moment = Instant.ofEpochMilli(Long.parseLong(new String(record.value(), StandardCharsets.US_ASCII)));
        } catch (NumberFormatException notWrittenByUs) {
            return;
        }
        notBefore.merge(record.key(), moment, (old, now) -> now.isAfter(old) ? now : old);
    }
}
