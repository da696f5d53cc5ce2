package dev.slipway.events.kafka;

import dev.slipway.events.AppRef;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventFormatException;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
import dev.slipway.events.Names;
import dev.slipway.events.TraceContext;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.util.Objects;
import tools.jackson.core.JacksonException;

/** Converts between Slipway events and CloudEvents: attributes, extensions, and JSON data. */
public final class EventCodec {

    public static final String JSON = "application/json";

    static final String PARTITION_KEY = "partitionkey";
    static final String CORRELATION_ID = "correlationid";
    static final String CAUSATION_ID = "causationid";
    static final String NAMESPACE = "namespace";
    static final String APP = "app";
    static final String REPLAY_OF = "replayof";

    private EventCodec() {
    }

    public static CloudEvent toCloudEvent(Event<?> event) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(event.source())
                .withType(event.type().type())
                .withTime(event.time())
                .withSubject(event.subject())
                .withData(JSON, EventJson.mapper().writeValueAsBytes(event.data()))
                .withExtension(PARTITION_KEY, event.key())
                .withExtension(CORRELATION_ID, event.correlationId())
                .withExtension(CAUSATION_ID, event.causationId())
                .withExtension(NAMESPACE, event.namespace())
                .withExtension(APP, event.app())
                .withExtension(TraceContext.TRACEPARENT, event.trace().traceparent());
        if (event.trace().traceState() != null) {
            builder.withExtension(TraceContext.TRACESTATE, event.trace().traceState());
        }
        if (event.trace().parentId() != null) {
            builder.withExtension(TraceContext.PARENT_SPAN, event.trace().parentId());
        }
        if (event.replayOf() != null) {
            builder.withExtension(REPLAY_OF, event.replayOf());
        }
        return builder.build();
    }

    public static Event<EventData> fromCloudEvent(CloudEvent cloudEvent) {
        EventType type = EventType.of(cloudEvent.getType());
        if (!JSON.equals(cloudEvent.getDataContentType())) {
            throw new EventFormatException(type.type() + " " + cloudEvent.getId() + ": content type must be " + JSON
                    + ", was " + cloudEvent.getDataContentType());
        }
        if (cloudEvent.getData() == null) {
            throw new EventFormatException(type.type() + " " + cloudEvent.getId() + " has no data");
        }
        EventData data = readData(type, cloudEvent.getId(), cloudEvent.getData().toBytes());
        requireMatch(cloudEvent, PARTITION_KEY, data.blobUid(), "data.blobUid");
        AppRef app = data.app();
        requireMatch(cloudEvent, NAMESPACE, app.namespace(), "data.app.namespace");
        requireMatch(cloudEvent, APP, app.name(), "data.app.name");
        try {
            String id = cloudEvent.getId();
            String correlationId = extension(cloudEvent, CORRELATION_ID);
            String causationId = extension(cloudEvent, CAUSATION_ID);
            return new Event<>(id, cloudEvent.getSource(), cloudEvent.getTime(), correlationId, causationId,
                    extension(cloudEvent, REPLAY_OF), trace(cloudEvent, id, correlationId, causationId), data);
        } catch (IllegalArgumentException invalid) {
            throw new EventFormatException(type.type() + " " + cloudEvent.getId() + ": " + invalid.getMessage(),
                    invalid);
        }
    }

    /** Media type of one event in the CloudEvents JSON format (structured mode). */
    public static final String STRUCTURED_JSON = "application/cloudevents+json";

    private static final java.util.Set<String> CONTEXT_ATTRIBUTES = java.util.Set.of("specversion", "id", "source",
            "type", "time", "subject", "datacontenttype", "dataschema", "data");

    /**
     * One event in the CloudEvents JSON format: the context attributes, Slipway's extensions and
     * {@code data} as a JSON object. This is how the API, SSE streams and webhooks show events.
     */
    public static byte[] toStructuredJson(Event<?> event) {
        CloudEvent cloudEvent = toCloudEvent(event);
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("specversion", cloudEvent.getSpecVersion().toString());
        json.put("id", cloudEvent.getId());
        json.put("source", cloudEvent.getSource().toString());
        json.put("type", cloudEvent.getType());
        json.put("subject", cloudEvent.getSubject());
        json.put("time", cloudEvent.getTime().toString());
        json.put("datacontenttype", cloudEvent.getDataContentType());
        for (String name : cloudEvent.getExtensionNames()) {
            json.put(name, extension(cloudEvent, name));
        }
        json.put("data", EventJson.mapper().readTree(cloudEvent.getData().toBytes()));
        return EventJson.mapper().writeValueAsBytes(json);
    }

    /** Reads {@link #toStructuredJson} back, with the same checks as the Kafka binding. */
    public static Event<EventData> fromStructuredJson(byte[] json) {
        tools.jackson.databind.JsonNode tree;
        try {
            tree = EventJson.mapper().readTree(json);
        } catch (JacksonException invalid) {
            throw new EventFormatException("not a CloudEvent in JSON: " + rootMessage(invalid), invalid);
        }
        if (tree == null || !tree.isObject() || !tree.hasNonNull("type") || !tree.hasNonNull("data")) {
            throw new EventFormatException("not a CloudEvent in JSON: type and data are required");
        }
        try {
            CloudEventBuilder builder = CloudEventBuilder.v1()
                    .withId(tree.path("id").asString())
                    .withSource(java.net.URI.create(tree.path("source").asString()))
                    .withType(tree.path("type").asString())
                    .withTime(java.time.OffsetDateTime.parse(tree.path("time").asString()))
                    .withSubject(tree.path("subject").asString(null))
                    .withData(tree.path("datacontenttype").asString(JSON),
                            EventJson.mapper().writeValueAsBytes(tree.get("data")));
            for (var property : tree.properties()) {
                if (!CONTEXT_ATTRIBUTES.contains(property.getKey()) && property.getValue().isString()) {
                    builder.withExtension(property.getKey(), property.getValue().asString());
                }
            }
            return fromCloudEvent(builder.build());
        } catch (RuntimeException invalid) {
            if (invalid instanceof EventFormatException format) {
                throw format;
            }
            throw new EventFormatException("not a CloudEvent in JSON: " + invalid.getMessage(), invalid);
        }
    }

    static EventData readData(EventType type, String id, byte[] json) {
        try {
            return EventJson.mapper().readValue(json, type.dataClass());
        } catch (JacksonException invalid) {
            throw new EventFormatException("data of " + type.type() + " " + id + " does not fit its schema: "
                    + rootMessage(invalid), invalid);
        }
    }

    /**
     * The event's trace as written; an event without one (written before events carried it) or with one
     * that breaks the W3C rules is read, never refused, with the trace derived from its ids.
     */
    private static TraceContext trace(CloudEvent cloudEvent, String id, String correlationId, String causationId) {
        return TraceContext.parse(extension(cloudEvent, TraceContext.TRACEPARENT),
                        extension(cloudEvent, TraceContext.TRACESTATE))
                .map(written -> new TraceContext(written.traceId(), written.spanId(),
                        TraceContext.parseSpanId(extension(cloudEvent, TraceContext.PARENT_SPAN)), written.sampled(),
                        written.traceState()))
                .orElseGet(() -> TraceContext.derived(Names.requireUuid("correlationid",
                        correlationId), Names.requireUuid("event id", id), causationId));
    }

    private static void requireMatch(CloudEvent cloudEvent, String extension, String expected, String field) {
        String actual = extension(cloudEvent, extension);
        if (!Objects.equals(actual, expected)) {
            throw new EventFormatException(cloudEvent.getType() + " " + cloudEvent.getId() + ": extension " + extension
                    + " is '" + actual + "' but " + field + " is '" + expected + "'");
        }
    }

    private static String extension(CloudEvent cloudEvent, String name) {
        Object value = cloudEvent.getExtension(name);
        return value == null ? null : value.toString();
    }

    // Jackson wraps a record constructor's IllegalArgumentException; its message is the useful part
    private static String rootMessage(JacksonException error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException) {
            return root.getMessage();
        }
        String path = error.getPath().stream()
                .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                        : "[" + reference.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining("."));
        return (path.isEmpty() ? "" : "at " + path + ": ") + error.getOriginalMessage();
    }
}
