package dev.slipway.deploy.releases;

import dev.slipway.events.Topics;
import dev.slipway.events.spring.EventsProperties;
import dev.slipway.events.spring.StateTopicHealthIndicator;
import dev.slipway.events.spring.TopicCreation;
import dev.slipway.events.spring.TopicFollower;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Each app's releases in slipway.releases, which deploy-service owns and creates; on either runtime. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReleasesProperties.class)
class ReleasesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReleasesConfiguration.class);

    @Bean
    ReleasesTopic releasesTopic(KafkaAdmin kafkaAdmin, Admin slipwayEventLogAdmin, EventsProperties events,
                                ReleasesProperties properties) {
        try {
            TopicCreation.createIfMissing(slipwayEventLogAdmin, TopicCreation.compacted(Topics.RELEASES),
                    events.healthTimeout());
        } catch (IllegalStateException e) {
            log.warn("{} (the releases health reports it)", e.getMessage());
        }
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new ReleasesTopic(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()),
                properties, Clock.systemUTC());
    }

    /** Every replica reads the releases, so whichever deploys next writes on top of the latest. */
    @Bean
    TopicFollower releasesFollower(KafkaAdmin kafkaAdmin, ReleasesTopic releases) {
        return new TopicFollower(Topics.RELEASES, kafkaAdmin.getConfigurationProperties(), releases::apply,
                releases::caughtUp);
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    StateTopicHealthIndicator releasesHealthIndicator(ReleasesTopic releases) {
        return new StateTopicHealthIndicator(Topics.RELEASES, releases::isRead, Map::of);
    }
}
