package dev.slipway.upload.store;

import dev.slipway.events.Topics;
import dev.slipway.events.spring.TopicCreation;
import dev.slipway.events.spring.TopicFollower;
import dev.slipway.upload.apps.AppStore;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The blob ledger (rebuilt from {@link Topics#BLOBS} on start) and the blobs' lifecycle. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    BlobLedger blobLedger(Producer<String, byte[]> appStoreProducer, Admin slipwayEventLogAdmin) {
        TopicCreation.createIfMissing(slipwayEventLogAdmin, TopicCreation.compacted(Topics.BLOBS),
                Duration.ofSeconds(10));
        return new BlobLedger(appStoreProducer);
    }

    @Bean
    TopicFollower blobLedgerFollower(BlobLedger ledger, KafkaAdmin kafkaAdmin) {
        return new TopicFollower(Topics.BLOBS, kafkaAdmin.getConfigurationProperties(), ledger::apply);
    }

    @Bean
    BlobLifecycle blobLifecycle(BlobStore blobStore, BlobLedger ledger, AppStore apps, StoreProperties properties) {
        return new BlobLifecycle(blobStore, ledger, apps, properties, Clock.systemUTC());
    }
}
