package dev.slipway.events.kafka;

import dev.slipway.events.AppRef;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventFormatException;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
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
                .withExtension(APP, event.app());
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
            return new Event<>(cloudEvent.getId(), cloudEvent.getSource(), cloudEvent.getTime(),
                    extension(cloudEvent, CORRELATION_ID), extension(cloudEvent, CAUSATION_ID),
                    extension(cloudEvent, REPLAY_OF), data);
        } catch (IllegalArgumentException invalid) {
            throw new EventFormatException(type.type() + " " + cloudEvent.getId() + ": " + invalid.getMessage(),
                    invalid);
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
