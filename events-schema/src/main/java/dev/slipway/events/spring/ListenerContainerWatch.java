package dev.slipway.events.spring;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.kafka.event.ConsumerFailedToStartEvent;
import org.springframework.kafka.event.ConsumerStartedEvent;
import org.springframework.kafka.event.ConsumerStartingEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.KafkaEvent;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The listener containers of the service (those of its Spring Cloud Stream bindings), learnt from the
 * events Spring Kafka publishes about them. A container that is not running is stopped, whether an
 * Error or a fatal consumer exception stopped it or someone did; only the application's own orderly
 * shutdown is in order.
 */
class ListenerContainerWatch implements ApplicationListener<ApplicationEvent>, ApplicationContextAware, ConsumerParts {

    // the parent container (a binding's ConcurrentMessageListenerContainer) -> why it stopped, "" while fine
    private final Map<MessageListenerContainer, String> containers = new ConcurrentHashMap<>();
    private ApplicationContext context;
    private volatile boolean shuttingDown;

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        // published first thing on close, before any container is stopped; a binder's child context closes too
        if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
            shuttingDown = true;
        }
        if (!(event instanceof KafkaEvent kafkaEvent)) {
            return;
        }
        MessageListenerContainer container = kafkaEvent.getContainer(MessageListenerContainer.class);
        if (event instanceof ConsumerStartingEvent || event instanceof ConsumerStartedEvent) {
            containers.put(container, "");
        } else if (event instanceof ConsumerFailedToStartEvent) {
            containers.put(container, "its consumer thread did not start");
        } else if (event instanceof ConsumerStoppedEvent stopped
                && stopped.getReason() != ConsumerStoppedEvent.Reason.NORMAL) {
            containers.put(container, "its consumer stopped (" + stopped.getReason() + why(stopped.getReason())
                    + ")");
        }
    }

    @Override
    public List<PartStatus> partStatuses() {
        return containers.entrySet().stream().map(entry -> status(entry.getKey(), entry.getValue())).toList();
    }

    private PartStatus status(MessageListenerContainer container, String problem) {
        String part = name(container);
        if (shuttingDown) {
            return PartStatus.idle(part, "stopping with the application");
        }
        if (!problem.isEmpty()) {
            return PartStatus.stopped(part, problem);
        }
        return container.isRunning() ? PartStatus.running(part) : PartStatus.stopped(part, "stopped");
    }

    private static String why(ConsumerStoppedEvent.Reason reason) {
        return switch (reason) {
            case ERROR -> ": an Error escaped the listener, see the log";
            case FENCED -> ": fenced by a newer producer or instance";
            case AUTH -> ": the broker refused its credentials";
            case NO_OFFSET -> ": no committed offset and no reset policy";
            default -> "";
        };
    }

    private static String name(MessageListenerContainer container) {
        String[] topics = container.getContainerProperties().getTopics();
        return "consumer group " + container.getGroupId() + " on "
                + (topics == null ? Objects.toString(container.getListenerId(), "?") : String.join(",", topics));
    }
}
