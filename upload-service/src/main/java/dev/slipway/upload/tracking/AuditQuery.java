package dev.slipway.upload.tracking;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import java.time.OffsetDateTime;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * One page of the audit trail: matching events in time order; with {@code since} or {@code after}
 * the first {@code limit} from there on, otherwise the latest {@code limit}.
 *
 * @param match   what the caller asked for, within the namespaces the caller may see
 * @param subject the part of {@code match} that a namespace and an app decide, checked before an entry is
 *                read (the whole {@code match} is still applied to what is read)
 * @param after   where the previous page ended, or null
 */
public record AuditQuery(Predicate<Event<EventData>> match, BiPredicate<String, String> subject,
                         OffsetDateTime since, AuditCursor after, int limit) {

    /** From a point on (a page of many), rather than the latest events. */
    public boolean forward() {
        return since != null || after != null;
    }

    public boolean admits(AuditCursor cursor) {
        return (since == null || cursor.epochNanos() >= AuditCursor.nanos(since.toInstant()))
                && (after == null || cursor.compareTo(after) > 0);
    }
}
