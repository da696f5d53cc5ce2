package dev.slipway.events.logging;

import dev.slipway.events.Event;
import dev.slipway.events.TraceContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * What a log line says about the event being handled: its push, its trace and span, its type, held in the
 * logging MDC while a service works on the event and shown by every service's log pattern
 * ({@link #LOG_PATTERN}). The keys {@code traceId} and {@code spanId} are the ones Micrometer Tracing uses,
 * so a tracer added later fills the same columns.
 */
public final class EventMdc {

    /** The push id (the event's correlation id): grep a service's log for it to see everything about a push. */
    public static final String PUSH_ID = "pushId";
    public static final String TRACE_ID = "traceId";
    /** The span of the event being handled; what the handling emits are its children. */
    public static final String SPAN_ID = "spanId";
    public static final String EVENT_TYPE = "eventType";

    /**
     * The log pattern's correlation part ({@code logging.pattern.correlation}), set for every service by
     * the contract's defaults: {@code [push=<id> trace=<id> span=<id> <event type>] } on lines logged while an
     * event is handled, nothing on the others.
     */
    public static final String LOG_PATTERN = "%replace([push=%X{" + PUSH_ID + ":-} trace=%X{" + TRACE_ID
            + ":-} span=%X{" + SPAN_ID + ":-} %X{" + EVENT_TYPE + ":-}] ){'^.push= trace= span= . $', ''}";

    private static final List<String> KEYS = List.of(PUSH_ID, TRACE_ID, SPAN_ID, EVENT_TYPE);

    private EventMdc() {
    }

    /** The MDC of this thread tells of {@code event} until the scope closes, which puts back what was there. */
    public static Scope open(Event<?> event) {
        Map<String, String> values = Map.of(PUSH_ID, event.correlationId(), TRACE_ID, event.trace().traceId(),
                SPAN_ID, event.trace().spanId(), EVENT_TYPE, event.type().type());
        return put(values);
    }

    /**
     * The MDC of this thread tells of a push known by what an event left of it ({@code trace} and
     * {@code eventType} null when unknown) until the scope closes, which puts back what was there.
     */
    public static Scope open(String pushId, TraceContext trace, String eventType) {
        Map<String, String> values = new HashMap<>();
        values.put(PUSH_ID, pushId);
        values.put(EVENT_TYPE, eventType);
        if (trace != null) {
            values.put(TRACE_ID, trace.traceId());
            values.put(SPAN_ID, trace.spanId());
        }
        return put(values);
    }

    /**
     * {@code task} run with this thread's event context: for work handed to a thread of its own (timers,
     * log readers), whose lines then say which push they belong to.
     */
    public static Runnable carrying(Runnable task) {
        Map<String, String> captured = current();
        return () -> {
            try (Scope ignored = put(captured)) {
                task.run();
            }
        };
    }

    private static Map<String, String> current() {
        Map<String, String> values = new HashMap<>();
        for (String key : KEYS) {
            String value = MDC.get(key);
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    private static Scope put(Map<String, String> values) {
        Map<String, String> before = current();
        for (String key : KEYS) {
            String value = values.get(key);
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
        return () -> {
            for (String key : KEYS) {
                String value = before.get(key);
                if (value == null) {
                    MDC.remove(key);
                } else {
                    MDC.put(key, value);
                }
            }
        };
    }

    /** Puts back the MDC it found; never throws. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
