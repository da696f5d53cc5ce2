package dev.slipway.upload.queue;

import dev.slipway.events.Event;
import dev.slipway.events.logging.EventMdc;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each app's signals to its {@link AppQueue} in the store and publishes what results (stage
 * requests, supersessions) to the event log, keyed by blob uid. Every {@code checkInterval} it ends
 * running pushes older than the staging timeout.
 */
class QueueProcessor implements Processor<String, QueueSignal, String, Event<?>> {

    private static final Logger log = LoggerFactory.getLogger(QueueProcessor.class);

    private final Duration stagingTimeout;
    private final Duration checkInterval;
    private final Clock clock;
    private ProcessorContext<String, Event<?>> context;
    private KeyValueStore<String, AppQueue> queues;

    QueueProcessor(Duration stagingTimeout, Duration checkInterval, Clock clock) {
        this.stagingTimeout = stagingTimeout;
        this.checkInterval = checkInterval;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Event<?>> context) {
        this.context = context;
        this.queues = context.getStateStore(PushQueueTopology.STORE);
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, now -> expireStalled());
    }

    @Override
    public void process(Record<String, QueueSignal> record) {
        String app = record.key();
        QueueSignal signal = record.value();
        if (app == null || signal == null) {
            return;
        }
        try (EventMdc.Scope handling = EventMdc.open(signal.pushId(), signal.trace(), signal.eventType())) {
            AppQueue current = queues.get(app);
            AppQueue queue = current == null ? AppQueue.empty() : current;
            QueueStep step = switch (signal.kind()) {
                case ACCEPTED -> queue.accept(signal.push(), clock.instant());
                case ENDED -> queue.ended(signal.pushId(), clock.instant());
                case APP_DELETED -> queue.appDeleted(signal.pushId(), signal.at(), clock.instant());
            };
            apply(app, current, step);
        }
    }

    private void expireStalled() {
        List<KeyValue<String, AppQueue>> stalled = new ArrayList<>();
        try (KeyValueIterator<String, AppQueue> all = queues.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.running() != null
                        && !entry.value.running().since().plus(stagingTimeout).isAfter(clock.instant())) {
                    stalled.add(entry);
                }
            });
        }
        for (KeyValue<String, AppQueue> entry : stalled) {
            String pushId = entry.value.running().pushId();
            try (EventMdc.Scope expiring = EventMdc.open(pushId, null, null)) {
                log.warn("push {} of app {} has run longer than {}; the app's next push may run", pushId, entry.key,
                        stagingTimeout);
                apply(entry.key, entry.value, entry.value.expire(clock.instant(), stagingTimeout));
            }
        }
    }

    private void apply(String app, AppQueue current, QueueStep step) {
        if (!step.next().equals(current)) {
            queues.put(app, step.next());
        }
        long now = clock.millis();
        for (Event<?> event : step.emitted()) {
            context.forward(new Record<String, Event<?>>(event.key(), event, now));
        }
    }
}
