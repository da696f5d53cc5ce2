package dev.slipway.upload;

import dev.slipway.events.secrets.SecretBox;
import dev.slipway.events.spring.S3Settings;
import dev.slipway.events.spring.TopicCreation;
import dev.slipway.events.spring.TopicFollower;
import dev.slipway.upload.apps.AppStore;
import dev.slipway.upload.store.BlobStore;
import dev.slipway.upload.store.S3BlobStore;
import dev.slipway.upload.store.StoreProperties;
import dev.slipway.upload.streams.StreamsProperties;
import io.minio.MinioClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The API's state and storage: apps and pushes rebuilt from Kafka, blobs in S3. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StreamsProperties.class)
class UploadConfiguration {

    @Bean
    SecretBox secretBox(@Value("${slipway.secrets.key:}") String key) {
        return new SecretBox(key);
    }

    @Bean(destroyMethod = "close")
    Producer<String, byte[]> appStoreProducer(KafkaAdmin kafkaAdmin) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    AppStore appStore(Producer<String, byte[]> appStoreProducer, Admin slipwayEventLogAdmin, KafkaAdmin kafkaAdmin) {
        createCompactedTopic(slipwayEventLogAdmin, AppStore.TOPIC);
        return new AppStore(appStoreProducer, slipwayEventLogAdmin, kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    TopicFollower appStoreFollower(AppStore appStore) {
        return appStore.follower();
    }

    /** Ready once the compacted state (apps, stored blobs...) has been read up to where it was at start. */
    @Bean
    HealthIndicator stateHealthIndicator(List<TopicFollower> followers) {
        return () -> followers.stream().allMatch(TopicFollower::isCaughtUp)
                ? Health.up().build()
                : Health.outOfService().withDetail("reason", "still reading apps and stored blobs from Kafka").build();
    }

    @Bean
    BlobStore blobStore(S3Settings s3, StoreProperties properties) {
        MinioClient client = MinioClient.builder().endpoint(s3.endpoint()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).build();
        S3BlobStore store = new S3BlobStore(client, s3.bucket(), properties.partSize().toBytes());
        store.ensureBucket();
        return store;
    }

    private static void createCompactedTopic(Admin admin, String topic) {
        TopicCreation.createIfMissing(admin, TopicCreation.compacted(topic), Duration.ofSeconds(10));
    }
}
