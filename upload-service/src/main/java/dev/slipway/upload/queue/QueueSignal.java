package dev.slipway.upload.queue;

import java.time.Instant;

/**
 * What the queue of an app learns from the event log: a push was accepted ({@code push} set), a push
 * ended ({@code pushId}), or the app was deleted ({@code pushId}: the deletion's run id); {@code at} is the
 * time of the event that says so.
 */
record QueueSignal(Kind kind, String pushId, QueuedPush push, Instant at) {

    enum Kind { ACCEPTED, ENDED, APP_DELETED }

    static QueueSignal accepted(QueuedPush push) {
        return new QueueSignal(Kind.ACCEPTED, push.pushId(), push, push.acceptedAt());
    }

    static QueueSignal ended(String pushId, Instant at) {
        return new QueueSignal(Kind.ENDED, pushId, null, at);
    }

    static QueueSignal appDeleted(String deletionId, Instant at) {
        return new QueueSignal(Kind.APP_DELETED, deletionId, null, at);
    }
}
