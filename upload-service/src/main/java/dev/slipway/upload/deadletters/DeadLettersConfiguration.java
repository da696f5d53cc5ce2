package dev.slipway.upload.deadletters;

import dev.slipway.events.spring.TopicCreation;
import dev.slipway.events.spring.TopicFollower;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Dead letters: read from their topics, redriven to the event log, each redrive remembered. */
@Configuration(proxyBeanMethods = false)
class DeadLettersConfiguration {

    @Bean
    DeadLetterTopics deadLetterTopics(Admin slipwayEventLogAdmin, KafkaAdmin kafkaAdmin,
                                      @Value("${slipway.dead-letters.max-listed:10000}") int maxListed) {
        return new DeadLetterTopics(slipwayEventLogAdmin, kafkaAdmin.getConfigurationProperties(), maxListed);
    }

    @Bean
    Redrives redrives(Producer<String, byte[]> appStoreProducer, Admin slipwayEventLogAdmin) {
        TopicCreation.createIfMissing(slipwayEventLogAdmin, TopicCreation.compacted(Redrives.TOPIC),
                Duration.ofSeconds(10));
        return new Redrives(appStoreProducer);
    }

    @Bean
    TopicFollower redrivesFollower(Redrives redrives, KafkaAdmin kafkaAdmin) {
        return new TopicFollower(Redrives.TOPIC, kafkaAdmin.getConfigurationProperties(), redrives::apply);
    }

    /** Raw bytes both ways: a dead letter goes back exactly as it was written. */
    @Bean(destroyMethod = "close")
    Producer<byte[], byte[]> redriveProducer(KafkaAdmin kafkaAdmin) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Bean
    DeadLetterRedrive deadLetterRedrive(DeadLetterTopics topics, Redrives redrives,
                                        Producer<byte[], byte[]> redriveProducer) {
        return new DeadLetterRedrive(topics, redrives, redriveProducer, Clock.systemUTC());
    }
}
