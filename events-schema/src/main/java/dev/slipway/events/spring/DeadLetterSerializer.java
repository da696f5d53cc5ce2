package dev.slipway.events.spring;

import dev.slipway.events.Event;
import dev.slipway.events.kafka.EventHeaders;
import dev.slipway.events.kafka.EventSerializer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a dead letter as close to the original record as possible: a poison record's bytes as
 * they were, an event that a service gave up on in the contract's binary mode (its original
 * {@code ce_*} headers are already copied onto the dead letter, so they are not written twice).
 */
class DeadLetterSerializer implements Serializer<Object> {

    private final EventSerializer events = new EventSerializer();

    @Override
    public byte[] serialize(String topic, Object data) {
        throw new UnsupportedOperationException("dead letters are written with their headers");
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Object data) {
        if (data == null || data instanceof byte[]) {
            return (byte[]) data;
        }
        if (data instanceof Event<?> event) {
            if (headers.lastHeader(EventHeaders.ID) != null) {
                return events.serialize(topic, new RecordHeaders(), event);
            }
            return events.serialize(topic, headers, event);
        }
        throw new IllegalArgumentException("cannot write a dead letter of " + data.getClass().getName());
    }
}
