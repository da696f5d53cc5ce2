package dev.slipway.routing.local;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.spring.ConsumerParts;
import dev.slipway.events.spring.PartStatus;
import dev.slipway.events.spring.TopicFollower;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.springframework.context.SmartLifecycle;

/**
 * Rebuilds the route table in two steps: {@code slipway.routes} read to its end first, then the event
 * log folded on top. Folding before the restore ends would decide conflicts against a partial table,
 * so the event log waits; records other replicas write to {@code slipway.routes} later are theirs to
 * keep (this replica folds the same events itself).
 */
final class RouteTableFollowers implements SmartLifecycle, ConsumerParts {

    private final TopicFollower routesFollower;
    private final TopicFollower eventsFollower;
    private final AtomicInteger restored = new AtomicInteger();
    private volatile boolean running;

    RouteTableFollowers(LocalRoutes routes, Map<String, Object> kafkaConfig) {
        EventDeserializer events = new EventDeserializer();
        this.eventsFollower = new TopicFollower(Topics.EVENTS, kafkaConfig, record -> {
            Event<EventData> event = events.deserialize(record.topic(), record.headers(), record.value());
            routes.apply(event);
        });
        this.routesFollower = new TopicFollower(Topics.ROUTES, kafkaConfig, record -> {
            if (!restoreDone()) {
                RoutesTopic.restore(record, routes);
                restored.incrementAndGet();
            }
        }, this::foldTheEventLog);
    }

    private synchronized void foldTheEventLog() {
        if (running && !eventsFollower.isRunning()) {
            eventsFollower.start();
        }
    }

    boolean restoreDone() {
        return routesFollower.isCaughtUp();
    }

    /** Restored and folded up to the events that existed on start. */
    boolean caughtUp() {
        return routesFollower.isCaughtUp() && eventsFollower.isCaughtUp();
    }

    int restoredRecords() {
        return restored.get();
    }

    @Override
    public void start() {
        running = true;
        routesFollower.start();
    }

    /** The restore first: once its thread has ended it cannot start the fold any more. */
    @Override
    public void stop() {
        running = false;
        routesFollower.stop();
        synchronized (this) {
            eventsFollower.stop();
        }
    }

    /**
     * As {@link #stop()}, without holding up the shutdown thread: Spring waits for the callback, while
     * the service's other consumers close at the same time.
     */
    @Override
    public void stop(Runnable callback) {
        running = false;
        routesFollower.stop(() -> {
            synchronized (this) {
                eventsFollower.stop(callback);
            }
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public List<PartStatus> partStatuses() {
        return Stream.concat(routesFollower.partStatuses().stream(), restoreDone()
                ? eventsFollower.partStatuses().stream()
                : Stream.of(PartStatus.idle("follower of " + Topics.EVENTS, "waiting for " + Topics.ROUTES)))
                .toList();
    }
}
