package dev.slipway.staging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.ImageNames;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.DeadLetterRecords;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.registry.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A stage that failed on a passing fault (the registry of its base image was down) and was dead-lettered
 * completes its push once the fault is gone and the dead letter is sent back as the API's redrive sends it.
 */
class RedriveAfterFixTest extends StagingServiceTest {

    private static final RegistryServer FLAKY = flakyRegistry();

    @DynamicPropertySource
    static void flaky(DynamicPropertyRegistry registry) {
        registry.add("slipway.staging.build.base-images.static", () -> FLAKY.host() + "/" + BaseImages.BUSYBOX);
        registry.add("slipway.staging.build.attempts", () -> "2");
        registry.add("slipway.staging.build.retry-wait", () -> "100ms");
    }

    private static RegistryServer flakyRegistry() {
        try {
            RegistryServer registry = RegistryServer.open(Files.createTempDirectory("slipway-flaky-registry"));
            BaseImages.pushBusybox(registry.host(), null, null);
            registry.close();
            return registry;
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the registry", e);
        }
    }

    @AfterAll
    void stopRegistry() {
        FLAKY.close();
    }

    @Test
    void aRedrivenDeadLetterIsStagedOnceTheFaultIsGone() throws Exception {
        Event<StageRequested> push = stage("redriven", Archives.tarGz(Map.of("index.html", "second time lucky")));
        StageFailed failure = failed(push);
        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.REGISTRY_UNAVAILABLE);
        ConsumerRecord<String, byte[]> dead;
        try (var deadLetters = log.topic(Topics.deadLetter("staging-service"))) {
            dead = deadLetters.await(record -> push.data().blobUid().equals(record.key()), TIMEOUT);
        }

        FLAKY.resume();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, embeddedKafka.getBrokersAsString()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(DeadLetterRecords.original(asBytes(dead))).get();
        }

        Event<EventData> outcome = log.awaitEvent(push.id(), EventType.STAGE_SUCCEEDED, TIMEOUT);
        StageSucceeded staged = (StageSucceeded) outcome.data();
        assertThat(staged.stageId()).isEqualTo(push.id());
        assertThat(staged.image()).isEqualTo(REGISTRY.host() + "/" + ImageNames.repository(push.data().app()) + ":"
                + push.id());
        assertThat(REGISTRY.manifest(ImageNames.repository(push.data().app()), push.id())).isPresent();
    }

    private static ConsumerRecord<byte[], byte[]> asBytes(ConsumerRecord<String, byte[]> record) {
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                TimestampType.CREATE_TIME, -1, -1, record.key().getBytes(StandardCharsets.UTF_8), record.value(),
                record.headers(), Optional.empty());
    }
}
