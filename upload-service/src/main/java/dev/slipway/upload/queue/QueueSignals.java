package dev.slipway.upload.queue;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.PushQueued;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.kafka.EventHeaders;
import dev.slipway.events.logging.EventMdc;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks from the event log what the queues need, keyed by app ({@code <namespace>/<app>}): accepted
 * pushes, the ends of pushes, deleted apps. Other events are skipped by their type header, unread.
 * A record that cannot be read is logged and skipped: it must not stop every app's queue.
 */
class QueueSignals implements Processor<String, byte[], String, QueueSignal> {

    private static final Logger log = LoggerFactory.getLogger(QueueSignals.class);

    private static final Set<String> ENDS = Set.of(EventType.ROUTES_READY.type(), EventType.STAGE_FAILED.type(),
            EventType.DEPLOY_FAILED.type(), EventType.ROUTES_FAILED.type());
    private static final Set<String> READ = Set.of(EventType.PUSH_QUEUED.type(), EventType.APP_DELETED.type(),
            EventType.ROUTES_READY.type(), EventType.STAGE_FAILED.type(), EventType.DEPLOY_FAILED.type(),
            EventType.ROUTES_FAILED.type());

    private final EventDeserializer events = new EventDeserializer();
    private ProcessorContext<String, QueueSignal> context;

    @Override
    public void init(ProcessorContext<String, QueueSignal> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Header typeHeader = record.headers().lastHeader(EventHeaders.TYPE);
        String type = typeHeader == null ? null : new String(typeHeader.value(), StandardCharsets.UTF_8);
        if (type == null || !READ.contains(type)) {
            return;
        }
        Event<EventData> event;
        try {
            event = events.deserialize(Topics.EVENTS, record.headers(), record.value());
        } catch (RuntimeException unreadable) {
            log.warn("push queue skipped an unreadable {} record: {}", type, unreadable.getMessage());
            return;
        }
        if (event == null) {
            return;
        }
        try (EventMdc.Scope handling = EventMdc.open(event)) {
            String eventType = event.type().type();
            QueueSignal signal;
            if (event.data() instanceof PushQueued queued) {
                signal = QueueSignal.accepted(new QueuedPush(event.correlationId(), event.time().toInstant(),
                        event.source(), queued.request(), event.trace()), eventType);
            } else if (ENDS.contains(type)) {
                signal = QueueSignal.ended(event.correlationId(), event.time().toInstant(), event.trace(), eventType);
            } else {
                signal = QueueSignal.appDeleted(event.correlationId(), event.time().toInstant(), event.trace(),
                        eventType);
            }
            // fresh headers: the CloudEvents headers of the input describe another record than the signal
            context.forward(new Record<>(event.subject(), signal, record.timestamp()));
        }
    }
}
