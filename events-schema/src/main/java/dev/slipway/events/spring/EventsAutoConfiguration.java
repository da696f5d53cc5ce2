package dev.slipway.events.spring;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * What every Slipway service gets from the contract: the events topic, dead-letter handling for
 * its bindings, and an event-log health check.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KafkaAdmin.class)
@EnableConfigurationProperties({EventsProperties.class, S3Settings.class})
public class EventsAutoConfiguration {

    @Bean
    EventSource slipwayEventSource(org.springframework.core.env.Environment environment) {
        return EventSource.forService(environment.getRequiredProperty("spring.application.name"));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnBean(KafkaAdmin.class)
    Admin slipwayEventLogAdmin(KafkaAdmin kafkaAdmin) {
        return Admin.create(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    @ConditionalOnBean(name = "slipwayEventLogAdmin")
    EventLogTopic slipwayEventLogTopic(Admin slipwayEventLogAdmin, EventsProperties properties) {
        return new EventLogTopic(slipwayEventLogAdmin, properties);
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer")
    @ConditionalOnBean(KafkaAdmin.class)
    DeadLetterErrorHandling slipwayDeadLetters(KafkaAdmin kafkaAdmin, EventsProperties properties) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // keys are blob uids, read as strings by every binding
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        DefaultKafkaProducerFactory<Object, Object> producers = new DefaultKafkaProducerFactory<>(config,
                null, DeadLetterSerializer::new);
        return new DeadLetterErrorHandling(producers, properties.consumerStopTimeout());
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnBean(name = "slipwayEventLogAdmin")
    EventLogHealthIndicator eventLogHealthIndicator(Admin slipwayEventLogAdmin, EventsProperties properties) {
        return new EventLogHealthIndicator(slipwayEventLogAdmin, properties);
    }
}
