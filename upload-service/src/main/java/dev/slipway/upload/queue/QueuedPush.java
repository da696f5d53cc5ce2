package dev.slipway.upload.queue;

import dev.slipway.events.StageRequested;
import dev.slipway.events.TraceContext;
import java.net.URI;
import java.time.Instant;

/**
 * A source push the API accepted, as the queue keeps it until it runs.
 *
 * @param pushId     the id its {@code stage.requested} will carry
 * @param acceptedAt when the API accepted it: of two pushes of an app, the later accepted one wins
 * @param source     the service that accepted it, the source of the events issued for it
 * @param trace      the trace of its {@code push.queued}, whose children the events issued for it are; null
 *                   when kept before pushes had one (their events then derive it from the push id)
 */
record QueuedPush(String pushId, Instant acceptedAt, URI source, StageRequested request, TraceContext trace) {

    QueuedPush(String pushId, Instant acceptedAt, URI source, StageRequested request) {
        this(pushId, acceptedAt, source, request, null);
    }

    String blobUid() {
        return request.blobUid();
    }

    /** Accepted after {@code other}; the push id breaks a tie so that every replica decides alike. */
    boolean newerThan(QueuedPush other) {
        int byTime = acceptedAt.compareTo(other.acceptedAt);
        return byTime != 0 ? byTime > 0 : pushId.compareTo(other.pushId) > 0;
    }
}
