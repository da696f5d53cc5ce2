package dev.slipway.events.spring;

import dev.slipway.events.Topics;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
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
            admin.createTopics(List.of(topic)).all()
                    .get(properties.healthTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("created topic {} with {} partitions", Topics.EVENTS, properties.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                log.warn("could not create topic {} (the health check reports it): {}", Topics.EVENTS,
                        e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            log.warn("broker did not answer within {} while creating topic {}; the health check reports it",
                    properties.healthTimeout(), Topics.EVENTS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
