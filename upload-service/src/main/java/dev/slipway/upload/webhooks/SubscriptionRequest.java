package dev.slipway.upload.webhooks;

import java.util.List;

/** The body of {@code POST /api/v1/subscriptions}; {@link NewSubscriptions} checks it. */
record SubscriptionRequest(String url, List<String> types, String namespace, String app, String secret,
                           String from) {
}
