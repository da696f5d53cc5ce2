package dev.slipway.upload.queue;

import dev.slipway.upload.streams.StreamsMetrics;
import dev.slipway.upload.streams.StreamsProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The per-app push queue: a Kafka Streams application beside the API. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueueProperties.class)
class PushQueueConfiguration {

    @Bean
    PushQueueStreams pushQueueStreams(StreamsProperties streams, QueueProperties queue, KafkaAdmin kafkaAdmin,
                                      @Value("${slipway.staging.timeout:15m}") Duration stagingTimeout,
                                      MeterRegistry meterRegistry) {
        Properties config = streams.forApplication(PushQueueStreams.APPLICATION_ID,
                kafkaAdmin.getConfigurationProperties());
        boolean ownFolder = streams.stateDir().isBlank();
        if (ownFolder) {
            // a folder of its own: two services on one machine must not share (and lock) one; the store
            // is rebuilt from its changelog, so a fresh folder costs start time only
            config.put(StreamsConfig.STATE_DIR_CONFIG, temporaryFolder());
        }
        return new PushQueueStreams(config, stagingTimeout, queue.checkInterval(), Clock.systemUTC(),
                ownFolder, new StreamsMetrics(meterRegistry));
    }

    /** Down when the queue's Streams application has stopped: accepted pushes would wait for ever. */
    @Bean
    HealthIndicator pushQueueHealthIndicator(PushQueueStreams queue) {
        return () -> {
            KafkaStreams.State state = queue.state();
            Health.Builder health = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                    ? Health.down() : Health.up();
            return health.withDetail("state", state.name()).build();
        };
    }

    private static String temporaryFolder() {
        try {
            return Files.createTempDirectory("slipway-push-queue").toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the push queue's store", e);
        }
    }
}
