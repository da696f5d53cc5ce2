package dev.slipway.upload.queue;

import dev.slipway.events.EventJson;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A record as JSON, in the event contract's mapping, for the queue's store and its repartition topic. */
final class JsonSerde<T> implements Serde<T> {

    private final Class<T> type;

    JsonSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : EventJson.mapper().writeValueAsBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : EventJson.mapper().readValue(bytes, type);
    }
}
