package dev.slipway.events.spring;

import dev.slipway.events.Topics;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Creates the events topic on start when it is missing, and never touches an existing one: adding
 * partitions to a keyed topic would move blob uids to other partitions and break the per-push order.
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
                properties.replicationFactor() < 0 ? Optional.empty() : Optional.of(properties.replicationFactor()));
        try {
            if (TopicCreation.createIfMissing(admin, topic, properties.healthTimeout())) {
                log.info("created topic {} with {} partitions", Topics.EVENTS, properties.partitions());
            }
        } catch (IllegalStateException e) {
            log.warn("{} (the health check reports it)", e.getMessage());
        }
    }
}
