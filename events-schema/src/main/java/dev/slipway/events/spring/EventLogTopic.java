package dev.slipway.events.spring;

import dev.slipway.events.Topics;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Creates the events topic on start when it is missing, with the configured retention, and never
 * touches an existing one: adding partitions to a keyed topic would move blob uids to other partitions
 * and break the per-push order, and its retention is the operator's (a topic made beforehand, e.g.
 * by {@code deploy/k8s/kafka}); one that differs from the setting is reported, not changed.
 */
class EventLogTopic implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(EventLogTopic.class);

    private final Admin admin;
    private final EventsProperties properties;

    EventLogTopic(Admin admin, EventsProperties properties) {
        this.admin = admin;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        NewTopic topic = new NewTopic(Topics.EVENTS, Optional.of(properties.partitions()),
                properties.replicationFactor() < 0 ? Optional.empty() : Optional.of(properties.replicationFactor()))
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(properties.retention().toMillis())));
        try {
            if (TopicCreation.createIfMissing(admin, topic, properties.healthTimeout())) {
                log.info("created topic {} with {} partitions, keeping events {}", Topics.EVENTS,
                        properties.partitions(), EventLogRetention.describe(properties.retention()));
                return;
            }
            EventLogRetention retention = new EventLogRetention(admin, properties);
            String difference = retention.difference(retention.actual());
            if (!difference.isEmpty()) {
                log.warn("{} (the eventLog health shows it)", difference);
            }
        } catch (IllegalStateException e) {
            log.warn("{} (the health check reports it)", e.getMessage());
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cannot read the retention of {}: {}", Topics.EVENTS, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
