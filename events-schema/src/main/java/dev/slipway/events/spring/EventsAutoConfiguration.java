package dev.slipway.events.spring;

import dev.slipway.events.ReservedHosts;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * What every Slipway service gets from the contract: the events topic, dead-letter handling for
 * its bindings, the attempt ledger of its stages, and health checks of the event log and of its
 * consumers.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KafkaAdmin.class)
@EnableConfigurationProperties({EventsProperties.class, S3Settings.class, StageAttemptsProperties.class,
        WallSettings.AllowedBuilders.class, WallSettings.Reserved.class})
public class EventsAutoConfiguration {

    @Bean
    EventSource slipwayEventSource(Environment environment) {
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

    /** Keyed by the stage binding's consumer group: the service's name unless configured otherwise. */
    @Bean
    @ConditionalOnClass(name = "org.springframework.cloud.stream.function.StreamBridge")
    @ConditionalOnBean(KafkaAdmin.class)
    StageAttempts slipwayStageAttempts(EventSource source, Environment environment, KafkaAdmin kafkaAdmin,
                                       StageAttemptsProperties properties) {
        String group = environment.getProperty("spring.cloud.stream.default.group",
                environment.getRequiredProperty("spring.application.name"));
        return new StageAttempts(source, group, kafkaAdmin.getConfigurationProperties(), properties);
    }

    @Bean
    ListenerContainerWatch slipwayListenerContainers() {
        return new ListenerContainerWatch();
    }

    /** The hosts no app may route, read alike by the API and by routing ({@value ReservedHosts#SETTING}). */
    @Bean
    ReservedHosts slipwayReservedHosts(Environment environment) {
        return ReservedHosts.of(Binder.get(environment).bind(ReservedHosts.SETTING, Bindable.listOf(String.class))
                .orElse(null), environment.getProperty("slipway.system-domain", "localhost"));
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    ConsumersHealthIndicator consumersHealthIndicator(ObjectProvider<ConsumerParts> parts) {
        return new ConsumersHealthIndicator(parts);
    }
}
