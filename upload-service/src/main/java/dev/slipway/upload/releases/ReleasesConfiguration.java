package dev.slipway.upload.releases;

import dev.slipway.events.Topics;
import dev.slipway.events.spring.EventsProperties;
import dev.slipway.events.spring.StateTopicHealthIndicator;
import dev.slipway.events.spring.TopicCreation;
import dev.slipway.events.spring.TopicFollower;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The apps' releases, read from deploy-service's slipway.releases. */
@Configuration(proxyBeanMethods = false)
class ReleasesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReleasesConfiguration.class);

    /**
     * Creates the topic as deploy-service would when the API starts first, so the view is read (and
     * healthy) at once rather than waiting for its owner.
     */
    @Bean
    AppReleasesView appReleasesView(Admin slipwayEventLogAdmin, EventsProperties events) {
        try {
            TopicCreation.createIfMissing(slipwayEventLogAdmin, TopicCreation.compacted(Topics.RELEASES),
                    events.healthTimeout());
        } catch (IllegalStateException e) {
            log.warn("{} (the releases health reports it)", e.getMessage());
        }
        return new AppReleasesView();
    }

    @Bean
    TopicFollower appReleasesFollower(AppReleasesView view, KafkaAdmin kafkaAdmin) {
        return new TopicFollower(Topics.RELEASES, kafkaAdmin.getConfigurationProperties(), view::apply,
                view::caughtUp);
    }

    /** DOWN while slipway.releases has not been read: the apps show no release until it is. */
    @Bean
    StateTopicHealthIndicator releasesHealthIndicator(AppReleasesView view) {
        return new StateTopicHealthIndicator(Topics.RELEASES, view::isRead, Map::of);
    }
}
