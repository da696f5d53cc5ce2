package dev.slipway.events.kafka;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventFormatException;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a record written by {@link EventSerializer}. Anything that is not a complete Slipway event
 * (a missing header, an unknown type, data that does not fit) is an {@link EventFormatException}
 * naming what is wrong, so the record can go to the dead-letter topic with a useful reason.
 */
public class EventDeserializer implements Deserializer<Event<EventData>> {

    private final CloudEventDeserializer cloudEvents = new CloudEventDeserializer();

    @Override
    public Event<EventData> deserialize(String topic, byte[] data) {
        throw new EventFormatException("Slipway events are read with their headers (CloudEvents binary mode)");
    }

    @Override
    public Event<EventData> deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        List<String> missing = EventHeaders.REQUIRED.stream()
                .filter(name -> headers.lastHeader(name) == null)
                .toList();
        if (!missing.isEmpty()) {
            throw new EventFormatException("not a Slipway event: record on " + topic + " (" + describe(headers)
                    + ") lacks the header(s) " + String.join(", ", missing));
        }
        CloudEvent cloudEvent;
        try {
            cloudEvent = cloudEvents.deserialize(topic, headers, data);
        } catch (RuntimeException unreadable) {
            throw new EventFormatException("not a CloudEvent: record on " + topic + " (" + describe(headers) + "): "
                    + unreadable.getMessage(), unreadable);
        }
        return EventCodec.fromCloudEvent(cloudEvent);
    }

    private static String describe(Headers headers) {
        return EventHeaders.TYPE + "=" + text(headers.lastHeader(EventHeaders.TYPE)) + ", "
                + EventHeaders.ID + "=" + text(headers.lastHeader(EventHeaders.ID));
    }

    private static String text(Header header) {
        return header == null ? "none" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
