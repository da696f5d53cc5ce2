package dev.slipway.upload.queue;

import java.time.Instant;

/** The push an app runs now, accepted at {@code acceptedAt} and issued at {@code since}. */
record RunningPush(String pushId, Instant acceptedAt, Instant since) {
}
