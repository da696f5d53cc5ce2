package dev.slipway.events.spring;

import dev.slipway.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when the broker answers and the events topic has a leader for every partition: a service that
 * cannot read or write the event log cannot do its step, whatever else works. Shows the topic's
 * retention, and {@code retentionDiffers} when it is not the configured one.
 */
class EventLogHealthIndicator extends AbstractHealthIndicator {

    private final Admin admin;
    private final EventsProperties properties;
    private final EventLogRetention retention;

    EventLogHealthIndicator(Admin admin, EventsProperties properties) {
        super("Kafka event log health check failed");
        this.admin = admin;
        this.properties = properties;
        this.retention = new EventLogRetention(admin, properties);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder)
            throws InterruptedException, ExecutionException, TimeoutException {
        long timeoutMillis = properties.healthTimeout().toMillis();
        String clusterId = admin.describeCluster().clusterId().get(timeoutMillis, TimeUnit.MILLISECONDS);
        TopicDescription events = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames()
                .get(timeoutMillis, TimeUnit.MILLISECONDS).get(Topics.EVENTS);
        long leaderless = events.partitions().stream().filter(partition -> partition.leader() == null).count();
        builder.status(leaderless == 0 ? "UP" : "DOWN")
                .withDetail("clusterId", clusterId)
                .withDetail("topic", Topics.EVENTS)
                .withDetail("partitions", events.partitions().size())
                .withDetail("partitionsWithoutLeader", leaderless);
        Duration actual = retention.actual();
        builder.withDetail("retention", EventLogRetention.describe(actual));
        String difference = retention.difference(actual);
        if (!difference.isEmpty()) {
            // not DOWN: the log works; it only keeps events longer or shorter than this service was told
            builder.withDetail("retentionDiffers", difference);
        }
    }
}
