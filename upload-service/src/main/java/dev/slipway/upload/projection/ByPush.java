package dev.slipway.upload.projection;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.events.kafka.EventDeserializer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-keys the event log (keyed by blob) by push id, the key every API lookup has, as CloudEvents
 * JSON. A record that is no event is skipped, as every reader of the log skips it.
 */
class ByPush implements Processor<String, byte[], String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(ByPush.class);

    private final EventDeserializer events = new EventDeserializer();
    private ProcessorContext<String, byte[]> context;

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Event<EventData> event;
        try {
            event = events.deserialize(Topics.EVENTS, record.headers(), record.value());
        } catch (RuntimeException notAnEvent) {
            log.warn("skipping a record of {} that is no event: {}", Topics.EVENTS, notAnEvent.getMessage());
            return;
        }
        if (event == null || event.correlationId() == null) {
            return;
        }
        context.forward(record.withKey(event.correlationId()).withValue(EventCodec.toStructuredJson(event))
                .withHeaders(new RecordHeaders()));
    }
}
