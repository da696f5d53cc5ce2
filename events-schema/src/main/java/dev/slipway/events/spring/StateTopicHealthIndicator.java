package dev.slipway.events.spring;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * DOWN until a service has read the compacted topic that holds state it restores on start (the route
 * table, releases): until then it answers from a part of that state, or none, and should say so. The
 * follower's own health ({@code consumers}) tells whether it still tries.
 */
public class StateTopicHealthIndicator extends AbstractHealthIndicator {

    private final String topic;
    private final BooleanSupplier read;
    private final Supplier<Map<String, Object>> details;

    /**
     * @param read    true once the topic was read to the end it had when reading began
     * @param details more to show, e.g. how many entries were restored or writes that failed
     */
    public StateTopicHealthIndicator(String topic, BooleanSupplier read, Supplier<Map<String, Object>> details) {
        super("state topic health check failed");
        this.topic = topic;
        this.read = read;
        this.details = details;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean done = read.getAsBoolean();
        builder.status(done ? Status.UP : Status.DOWN).withDetail("topic", topic)
                .withDetail("state", done ? "read" : "not read yet: " + topic + " cannot be read (see the log and "
                        + "the consumers health) or is being read")
                .withDetails(details.get());
    }
}
