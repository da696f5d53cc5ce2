package dev.slipway.upload.queue;

import dev.slipway.events.TraceContext;
import java.time.Instant;

/**
 * What the queue of an app learns from the event log: a push was accepted ({@code push} set), a push
 * ended ({@code pushId}), or the app was deleted ({@code pushId}: the deletion's run id); {@code at} is the
 * time of the event that says so, {@code trace} and {@code eventType} its span and type, which the queue's
 * log lines name (null in signals written before they were kept).
 */
record QueueSignal(Kind kind, String pushId, QueuedPush push, Instant at, TraceContext trace, String eventType) {

    enum Kind { ACCEPTED, ENDED, APP_DELETED }

    static QueueSignal accepted(QueuedPush push, String eventType) {
        return new QueueSignal(Kind.ACCEPTED, push.pushId(), push, push.acceptedAt(), push.trace(), eventType);
    }

    static QueueSignal ended(String pushId, Instant at, TraceContext trace, String eventType) {
        return new QueueSignal(Kind.ENDED, pushId, null, at, trace, eventType);
    }

    static QueueSignal appDeleted(String deletionId, Instant at, TraceContext trace, String eventType) {
        return new QueueSignal(Kind.APP_DELETED, deletionId, null, at, trace, eventType);
    }
}
