package dev.slipway.upload.tracking;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.FailureEvent;
import java.util.List;
import java.util.function.Consumer;

/**
 * The events of the log by push (each push's in log order, with live followers) and the audit index
 * (by time), for as long as the event log keeps them.
 */
public interface EventHistory {

    /** The push's events in log order, with those this replica published or saw just now. */
    List<Event<EventData>> ofPush(String pushId);

    /**
     * The push's events so far, and {@code follower} registered for later ones. The follower may be
     * handed an event that is also among those so far: the caller drops repeats by event id.
     * Cancel with {@link #unfollow}.
     */
    List<Event<EventData>> follow(String pushId, Consumer<Event<EventData>> follower);

    void unfollow(String pushId, Consumer<Event<EventData>> follower);

    /** One page of the audit trail (see {@link AuditQuery}). */
    AuditPage audit(AuditQuery query);

    /**
     * A push ends with its URLs, with a failure, or superseded by a newer push before it ran (until a
     * replay carries it on); an upload, which is a push of its own, ends with its only event.
     */
    static boolean ends(Event<? extends EventData> event) {
        return event.is(EventType.ROUTES_READY) || event.is(EventType.BLOB_UPLOADED)
                || event.is(EventType.PUSH_SUPERSEDED) || event.data() instanceof FailureEvent;
    }
}
