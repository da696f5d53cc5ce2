package dev.slipway.upload.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A webhook: where to POST which events, as stored in {@link SubscriptionStore#TOPIC}.
 *
 * @param sealedUrl    the target URL, sealed with the SecretBox: its path and query often hold a token
 * @param redactedUrl  what logs and listings show of it ({@link RedactedUrl})
 * @param types        type globs ({@code *} matches anything), e.g. {@code dev.slipway.stage.*}
 * @param namespace    only events of this namespace; null for all (admins only)
 * @param app          only events of this app in {@code namespace}; null for all its apps
 * @param sealedSecret the HMAC key, sealed with the SecretBox: Kafka never holds it in clear
 * @param from         {@link #FROM_NOW} or {@link #FROM_EARLIEST}
 */
public record Subscription(String id, String sealedUrl, String redactedUrl, List<String> types, String namespace,
                           String app, String sealedSecret, String from, Instant createdAt) {

    /** Only events from the subscription's creation on. */
    public static final String FROM_NOW = "now";
    /** The whole event log first, then what comes. */
    public static final String FROM_EARLIEST = "earliest";

    public Subscription {
        types = List.copyOf(types);
    }
}
