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

    private static final String CLI_TOKEN = "cli-token:";

    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    /** Revoked CLI tokens by {@code user:id}, with the moment they expire. */
    private final Map<String, Instant> revokedTokens = new ConcurrentHashMap<>();
    private final Producer<String, byte[]> producer;

    public Revocations(Producer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Voids every token of {@code username} issued up to {@code moment}; stored before it is answered. */
    public void revoke(String username, Instant moment) {
        store(username, moment);
        notBefore.merge(username, moment, (old, now) -> now.isAfter(old) ? now : old);
    }

    /** Voids one CLI token of {@code username}; stored before it is answered. */
    public void revokeCliToken(String username, String tokenId, Instant expiry) {
        String key = username + ":" + tokenId;
        store(CLI_TOKEN + key, expiry);
        revokedTokens.put(key, expiry);
        revokedTokens.values().removeIf(Instant.now()::isAfter);
    }

    public boolean isCliTokenRevoked(String username, String tokenId) {
        return revokedTokens.containsKey(username + ":" + tokenId);
    }

    private void store(String key, Instant value) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, key,
                    Long.toString(value.toEpochMilli()).getBytes(StandardCharsets.US_ASCII))).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the revocation store (Kafka topic " + TOPIC + ") refused the write: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while revoking the tokens of a user", e);
        }
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
        boolean cliToken = record.key().startsWith(CLI_TOKEN);
        String key = cliToken ? record.key().substring(CLI_TOKEN.length()) : record.key();
        if (record.value() == null) {
            (cliToken ? revokedTokens : notBefore).remove(key);
            return;
        }
        Instant moment;
        try {
            moment = Instant.ofEpochMilli(Long.parseLong(new String(record.value(), StandardCharsets.US_ASCII)));
        } catch (NumberFormatException notWrittenByUs) {
            return;
        }
        if (cliToken) {
            if (moment.isAfter(Instant.now())) {
                revokedTokens.put(key, moment);
            }
            return;
        }
        notBefore.merge(key, moment, (old, now) -> now.isAfter(old) ? now : old);
    }
}
