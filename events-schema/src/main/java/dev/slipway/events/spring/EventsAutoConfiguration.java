package dev.slipway.events.spring;

import dev.slipway.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

/** What every Slipway service gets from the contract: the events topic and an event-log health check. */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KafkaAdmin.class)
@EnableConfigurationProperties(EventsProperties.class)
public class EventsAutoConfiguration {

    /** Created by Spring Kafka's admin on start when missing; an existing topic is left as it is. */
    @Bean
    NewTopic slipwayEventsTopic(EventsProperties properties) {
        return new NewTopic(Topics.EVENTS, properties.partitions(), properties.replicationFactor());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnBean(KafkaAdmin.class)
    Admin slipwayEventLogAdmin(KafkaAdmin kafkaAdmin) {
        return Admin.create(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnBean(name = "slipwayEventLogAdmin")
    EventLogHealthIndicator eventLogHealthIndicator(Admin slipwayEventLogAdmin, EventsProperties properties) {
        return new EventLogHealthIndicator(slipwayEventLogAdmin, properties);
    }
}
