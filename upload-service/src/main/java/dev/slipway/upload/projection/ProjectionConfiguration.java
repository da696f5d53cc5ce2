package dev.slipway.upload.projection;

import dev.slipway.events.Topics;
import dev.slipway.events.spring.TopicCreation;
import dev.slipway.upload.status.PushMetrics;
import dev.slipway.upload.streams.StreamsMetrics;
import dev.slipway.upload.streams.StreamsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** upload-service's pushes, their events and the audit trail, in Kafka Streams stores. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProjectionProperties.class)
class ProjectionConfiguration {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    @Bean
    RecentEvents recentEvents(ProjectionProperties properties) {
        return new RecentEvents(properties.recentEvents(), properties.recentAge(), Clock.systemUTC());
    }

    @Bean
    LiveTail liveTail(KafkaAdmin kafkaAdmin, RecentEvents recent) {
        return new LiveTail(kafkaAdmin.getConfigurationProperties(), recent);
    }

    @Bean
    Projections projections(StreamsProperties streams, ProjectionProperties properties, KafkaAdmin kafkaAdmin,
                            Admin slipwayEventLogAdmin, MeterRegistry meterRegistry) {
        PushMetrics pushMetrics = new PushMetrics(meterRegistry);
        Properties config = streams.forApplication(ProjectionTopology.APPLICATION_ID,
                kafkaAdmin.getConfigurationProperties());
        config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        return new Projections(() -> {
            TopicCreation.createIfMissing(slipwayEventLogAdmin, TopicCreation.compacted(Topics.PUSHES), ADMIN_TIMEOUT);
            TopicCreation.createIfMissing(slipwayEventLogAdmin,
                    TopicCreation.compacted(ProjectionTopology.APP_PUSHES_TOPIC), ADMIN_TIMEOUT);
            Duration retention = properties.historyRetention() != null ? properties.historyRetention()
                    : logRetention(slipwayEventLogAdmin);
            return ProjectionTopology.build(retention, properties.expiryInterval(), pushMetrics::ended);
        }, config, () -> CatchUp.fromLogEnd(slipwayEventLogAdmin, ProjectionTopology.APPLICATION_ID),
                new StreamsMetrics(meterRegistry));
    }

    @Bean
    ReplicaClient replicaClient(ProjectionProperties properties) {
        return new ReplicaClient(properties.forwardTimeout());
    }

    @Bean
    StoredPushes storedPushes(Projections projections, RecentEvents recent, ReplicaClient replicas,
                              @Value("${slipway.staging.timeout:15m}") Duration stagingTimeout) {
        return new StoredPushes(projections, recent, new AuditReader(projections, replicas), stagingTimeout);
    }

    /** After the security filters: only an authenticated caller's request is forwarded. */
    @Bean
    FilterRegistrationBean<ReplicaForwarding> replicaForwarding(Projections projections, ReplicaClient replicas) {
        FilterRegistrationBean<ReplicaForwarding> registration = new FilterRegistrationBean<>(
                new ReplicaForwarding(projections, replicas));
        registration.setOrder(0);
        registration.addUrlPatterns("/api/v1/*");
        return registration;
    }

    /**
     * Ready once the stores have taken in the event log as it was at start; DOWN when the Streams
     * application has failed (the consumers check fails liveness then).
     */
    @Bean
    HealthIndicator projectionsHealthIndicator(Projections projections) {
        return () -> {
            if (projections.failed()) {
                return Health.down().withDetail("state", projections.state().name()).build();
            }
            return projections.caughtUp() ? Health.up().build() : Health.outOfService()
                    .withDetail("reason", "still reading pushes from Kafka").withDetail("state", projections.state().name())
                    .build();
        };
    }

    /** The event log's retention; null when it keeps events forever. */
    private static Duration logRetention(Admin admin) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS);
        try {
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(topic)).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ConfigEntry entry = configs.get(topic).get(TopicConfig.RETENTION_MS_CONFIG);
            long millis = entry == null ? -1 : Long.parseLong(entry.value());
            return millis < 0 ? null : Duration.ofMillis(millis);
        } catch (Exception unreadable) {
            throw new IllegalStateException("cannot read the retention of " + Topics.EVENTS
                    + "; set slipway.upload.projection.history-retention: " + unreadable.getMessage(), unreadable);
        }
    }
}
