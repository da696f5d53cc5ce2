package dev.slipway.upload.webhooks;

import dev.slipway.events.secrets.SecretBox;
import dev.slipway.events.spring.TopicCreation;
import dev.slipway.events.spring.TopicFollower;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Webhooks on Kafka: subscriptions in a compacted topic, deliveries logged to another, both followed by every replica. */
@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

    private static final Duration TOPIC_CREATION_TIMEOUT = Duration.ofSeconds(10);

    @Bean
    SubscriptionStore subscriptionStore(Producer<String, byte[]> appStoreProducer, Admin slipwayEventLogAdmin) {
        TopicCreation.createIfMissing(slipwayEventLogAdmin, TopicCreation.compacted(SubscriptionStore.TOPIC),
                TOPIC_CREATION_TIMEOUT);
        return new SubscriptionStore(appStoreProducer);
    }

    @Bean
    DeliveryLog deliveryLog(Producer<String, byte[]> appStoreProducer, Admin slipwayEventLogAdmin,
                            MeterRegistry meterRegistry) {
        TopicCreation.createIfMissing(slipwayEventLogAdmin, new NewTopic(DeliveryLog.TOPIC, Optional.empty(),
                Optional.empty()), TOPIC_CREATION_TIMEOUT);
        return new DeliveryLog(appStoreProducer, new DeliveryMetrics(meterRegistry));
    }

    @Bean
    TopicFollower deliveryLogFollower(DeliveryLog deliveryLog, KafkaAdmin kafkaAdmin) {
        return new TopicFollower(DeliveryLog.TOPIC, kafkaAdmin.getConfigurationProperties(), deliveryLog::apply);
    }

    /** The system's resolver unless another is given (tests give one they can script). */
    @Bean
    @ConditionalOnMissingBean
    HostResolver hostResolver() {
        return HostResolver.SYSTEM;
    }

    @Bean
    WebhookTargets webhookTargets(WebhookProperties properties, HostResolver hostResolver) {
        return new WebhookTargets(properties.addressPolicy(), hostResolver);
    }

    @Bean
    WebhookWorkers webhookWorkers(SubscriptionStore subscriptions, DeliveryLog deliveries, SecretBox secrets,
                                  WebhookProperties properties, WebhookTargets targets, KafkaAdmin kafkaAdmin) {
        return new WebhookWorkers(subscriptions, deliveries, new DeliveryWorkerFactory(
                kafkaAdmin.getConfigurationProperties(), secrets, properties, targets, deliveries), properties);
    }

    @Bean
    TopicFollower subscriptionFollower(WebhookWorkers webhookWorkers, KafkaAdmin kafkaAdmin) {
        return new TopicFollower(SubscriptionStore.TOPIC, kafkaAdmin.getConfigurationProperties(),
                webhookWorkers::follow, webhookWorkers::caughtUp);
    }
}
