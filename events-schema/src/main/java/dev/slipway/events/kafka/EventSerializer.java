package dev.slipway.events.kafka;

import dev.slipway.events.Event;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.kafka.CloudEventSerializer;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes an event in the CloudEvents Kafka binding, binary mode: attributes and extensions become
 * {@code ce_*} headers, the record value is the JSON data. The record key (the blob uid) is set by
 * the producer from {@link Event#key()}.
 */
public class EventSerializer implements Serializer<Event<?>> {

    private final CloudEventSerializer cloudEvents = new CloudEventSerializer();

    public EventSerializer() {
        cloudEvents.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY), false);
    }

    @Override
    public byte[] serialize(String topic, Event<?> event) {
        // binary mode needs headers; without a record to write them to, the attributes would be lost
        return serialize(topic, new RecordHeaders(), event);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Event<?> event) {
        if (event == null) {
            return null;
        }
        return cloudEvents.serialize(topic, headers, EventCodec.toCloudEvent(event));
    }
}
