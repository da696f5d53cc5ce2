package dev.slipway.events;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * A Slipway event: CloudEvents attributes and extensions around typed {@link EventData}.
 * The type, record key ({@code partitionkey}), namespace and app are derived from the data.
 *
 * @param id            unique event id (a UUID); deduplication uses it
 * @param source        the producing service, e.g. {@code /slipway/upload-service}
 * @param time          when the event was produced
 * @param correlationId the push id: the id of the event that started this pipeline run
 * @param causationId   the id of the event that caused this one; a run's first event names itself
 * @param replayOf      for a replayed event, the id of the event it re-issues; otherwise null
 * @param trace         its W3C trace context: the push's trace, this event's span and its cause's span
 */
public record Event<T extends EventData>(String id, URI source, OffsetDateTime time, String correlationId,
                                         String causationId, String replayOf, TraceContext trace, T data) {

    public Event {
        Names.requireUuid("event id", id);
        Names.require("event source", source);
        Names.require("event time", time);
        Names.requireUuid("correlationid", correlationId);
        Names.requireUuid("causationid", causationId);
        if (replayOf != null) {
            Names.requireUuid("replayof", replayOf);
        }
        Names.require("trace context", trace);
        Names.require("event data", data);
    }

    /** An event whose trace is derived from its ids (see {@link TraceContext#derived}): one trace per push. */
    public Event(String id, URI source, OffsetDateTime time, String correlationId, String causationId,
                 String replayOf, T data) {
        this(id, source, time, correlationId, causationId, replayOf,
                TraceContext.derived(Names.requireUuid("correlationid", correlationId),
                        Names.requireUuid("event id", id), causationId), data);
    }

    /** The first event of a pipeline run: its id becomes the push id; it starts a new trace. */
    public static <T extends EventData> Event<T> start(URI source, T data) {
        return start(source, data, null);
    }

    /**
     * The first event of a pipeline run, its span a child of {@code caller} (the trace a client sent),
     * or the first span of a new trace when {@code caller} is null.
     */
    public static <T extends EventData> Event<T> start(URI source, T data, TraceContext caller) {
        String id = newId();
        return new Event<>(id, source, now(), id, id, null, TraceContext.startUnder(caller, id), data);
    }

    /** The event that this one causes: same push, caused by this event, same blob uid. */
    public <N extends EventData> Event<N> next(URI source, N nextData) {
        if (!Objects.equals(nextData.blobUid(), key())) {
            throw new IllegalArgumentException("an event caused by " + id + " must keep blob uid " + key()
                    + ", got " + nextData.blobUid());
        }
        String nextId = newId();
        return new Event<>(nextId, source, now(), correlationId, id, null, trace.childFor(nextId), nextData);
    }

    /**
     * This event issued again with a new id, the same push and key, and {@code replayof} set; in the
     * same trace, a new span beside the original (same parent).
     */
    public Event<T> replay(URI source, T replayData) {
        if (!Objects.equals(replayData.blobUid(), key())) {
            throw new IllegalArgumentException("a replay must keep blob uid " + key());
        }
        String replayId = newId();
        return new Event<>(replayId, source, now(), correlationId, causationId, id, trace.siblingFor(replayId),
                replayData);
    }

    public EventType type() {
        return EventType.of(data);
    }

    /** Record key and {@code partitionkey}: the blob uid. */
    public String key() {
        return data.blobUid();
    }

    public String namespace() {
        return data.app().namespace();
    }

    public String app() {
        return data.app().name();
    }

    /** CloudEvents {@code subject}: {@code <namespace>/<app>}. */
    public String subject() {
        return data.app().toString();
    }

    public boolean is(EventType expected) {
        return type() == expected;
    }

    /** The data as the given type, when this event is of that type. */
    public <D extends EventData> D dataAs(Class<D> dataClass) {
        return dataClass.cast(data);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    // CloudEvents time is RFC 3339; microseconds keep it stable through a text round trip
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
