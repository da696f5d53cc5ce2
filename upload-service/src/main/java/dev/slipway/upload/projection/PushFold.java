package dev.slipway.upload.projection;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.upload.status.PushMetrics;
import dev.slipway.upload.status.PushState;
import dev.slipway.upload.status.PushStates;
import dev.slipway.upload.tracking.AuditCursor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each push's events in log order (keyed by push id): keeps them with the push and in the
 * time index of the audit trail, and folds the push's state, forwarding each new state. Applies an
 * event once, by id: a crash between commits delivers some again. Events (not states) older than the
 * event log's retention are dropped, as the log drops them.
 */
class PushFold implements Processor<String, byte[], String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(PushFold.class);

    private final Duration retention;
    private final Duration expiryInterval;
    private final Consumer<PushState> ended;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> states;
    private KeyValueStore<String, byte[]> events;
    private KeyValueStore<String, byte[]> audit;

    /** {@code retention} null: the log keeps events forever, so do these. */
    PushFold(Duration retention, Duration expiryInterval, Consumer<PushState> ended) {
        this.retention = retention;
        this.expiryInterval = expiryInterval;
        this.ended = ended;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        states = context.getStateStore(ProjectionTopology.PUSH_STATES);
        events = context.getStateStore(ProjectionTopology.PUSH_EVENTS);
        audit = context.getStateStore(ProjectionTopology.AUDIT);
        if (retention != null) {
            context.schedule(expiryInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String pushId = record.key();
        Event<EventData> event;
        try {
            event = EventCodec.fromStructuredJson(record.value());
        } catch (RuntimeException unreadable) {
            log.warn("skipping an unreadable event of push {}: {}", pushId, unreadable.getMessage());
            return;
        }
        byte[] kept = events.get(pushId);
        if (EventList.contains(kept, event.id())) {
            return;
        }
        // the state before the events: a query that finds the event among the push's also finds it in the state
        PushState current = StoredJson.state(states.get(pushId));
        PushState next = PushStates.fold(current, event);
        boolean changed = next != null && !next.equals(current);
        if (changed) {
            states.put(pushId, StoredJson.state(next));
        }
        if (EventList.hasRoom(kept, record.value().length, event.is(EventType.STAGE_LOG))) {
            events.put(pushId, EventList.append(kept, event.id(), event.time().toInstant().toEpochMilli(),
                    record.value()));
        } else {
            log.warn("push {} keeps no more events in its list ({} of {} left out); the audit trail has them",
                    pushId, event.type().type(), event.id());
        }
        audit.put(AuditCursor.entryKey(event.time(), event.id(), event.namespace(), event.app()), record.value());
        if (changed) {
            context.forward(record.withValue(StoredJson.state(next)));
            if (PushMetrics.isOutcome(current, next)) {
                ended.accept(next);
            }
        }
    }

    /** Drops events the log no longer has; push states stay (the compacted topic keeps them too). */
    private void expire(long now) {
        long cutoff = now - retention.toMillis();
        List<String> old = new ArrayList<>();
        String before = AuditCursor.of(java.time.Instant.ofEpochMilli(cutoff).atOffset(java.time.ZoneOffset.UTC),
                "0").key();
        try (KeyValueIterator<String, byte[]> entries = audit.range(null, before)) {
            entries.forEachRemaining(entry -> old.add(entry.key));
        }
        old.forEach(audit::delete);
        List<String> ended = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> pushes = events.all()) {
            while (pushes.hasNext()) {
                KeyValue<String, byte[]> push = pushes.next();
                if (EventList.newestMillis(push.value) < cutoff) {
                    ended.add(push.key);
                }
            }
        }
        ended.forEach(events::delete);
        if (!old.isEmpty() || !ended.isEmpty()) {
            log.info("dropped {} audit entries and the events of {} pushes older than {}", old.size(), ended.size(),
                    retention);
        }
    }
}
