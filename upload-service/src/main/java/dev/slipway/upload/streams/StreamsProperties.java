package dev.slipway.upload.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared by upload-service's Kafka Streams applications ({@code slipway.upload.streams.*}):
 * the read models and the per-app push queue each run one, with their own application id.
 *
 * @param stateDir          where their RocksDB stores live; a store lost with its folder is restored
 *                          from its changelog topic, so a fresh folder costs start time, not data;
 *                          empty for a new folder in the system's temporary folder on each start
 * @param applicationServer {@code host:port} at which the other replicas reach this one's API, for
 *                          queries of stores held elsewhere; empty for a single replica
 * @param commitInterval    how often progress and stores are committed; a crash repeats at most this
 *                          much work (at-least-once: every step is idempotent by event id); each commit
 *                          flushes the stores, so a shorter one slows catching up with a long log
 */
@ConfigurationProperties("slipway.upload.streams")
public record StreamsProperties(@DefaultValue("") String stateDir,
                                @DefaultValue("") String applicationServer,
                                @DefaultValue("1s") Duration commitInterval) {

    /**
     * The configured folder, or without one a new temporary folder for each Streams application started:
     * two services on one machine (or two test contexts in one JVM) must never share, or lock each other
     * out of, one folder; a fresh folder costs start time only (the stores are restored from their changelogs).
     */
    public Path stateDirectory() {
        if (!stateDir.isBlank()) {
            return Path.of(stateDir);
        }
        try {
            return Files.createTempDirectory("slipway-upload-streams-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the Kafka Streams stores", e);
        }
    }

    /**
     * The configuration of one Streams application, on the broker and security settings the service
     * already uses ({@code kafka}: its Kafka admin settings).
     */
    public Properties forApplication(String applicationId, Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory().toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a replica that dies hands its partitions over after 10 s, not Kafka's default 45 s
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        // results such as a queued push's stage request leave at once, not after the default 100 ms
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        if (!applicationServer.isBlank()) {
            config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        Properties properties = new Properties();
        properties.putAll(config);
        return properties;
    }
}
