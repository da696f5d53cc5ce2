package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStarted;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.DeadLetterErrorHandling;
import dev.slipway.staging.StagingServiceApplication;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kafka.TopicReader;
import dev.slipway.upload.UploadServiceApplication;
import dev.slipway.upload.eventlog.PushRequests;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The contract end to end on a real broker: upload-service's code starts a push, staging-service's
 * binding consumes the stage request and answers, and every CloudEvents header survives the trip.
 * Subclasses say which broker: embedded KRaft always, a Testcontainers one where Docker exists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PipelineSmokeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ConfigurableApplicationContext upload;
    private ConfigurableApplicationContext staging;
    private EventLog log;

    abstract String bootstrapServers();

    @BeforeAll
    void startServices() {
        log = new EventLog(bootstrapServers());
        upload = start(UploadServiceApplication.application());
        staging = start(StagingServiceApplication.application());
    }

    @AfterAll
    void stopServices() {
        if (staging != null) {
            staging.close();
        }
        if (upload != null) {
            upload.close();
        }
        if (log != null) {
            log.close();
        }
    }

    @Test
    void aStageRequestFromUploadReachesStagingWithEveryHeaderIntact() {
        String blobUid = UUID.randomUUID().toString();
        StageRequested request = new StageRequested(blobUid, new AppRef("workspace", "smoke"), "example/builder:1",
                new AppSettings(2, true, List.of("smoke.example.com"), null), null);

        Event<StageRequested> push = upload.getBean(PushRequests.class).requestStage(request);

        ConsumerRecord<String, byte[]> requested = log.awaitRecord(push.id(), EventType.STAGE_REQUESTED, TIMEOUT);
        assertThat(requested.key()).isEqualTo(blobUid);
        assertThat(headers(requested)).containsEntry("ce_id", push.id())
                .containsEntry("ce_source", "/slipway/upload-service")
                .containsEntry("ce_type", "dev.slipway.stage.requested.v1")
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_subject", "workspace/smoke")
                .containsEntry("content-type", "application/json")
                .containsEntry("ce_partitionkey", blobUid)
                .containsEntry("ce_correlationid", push.id())
                .containsEntry("ce_causationid", push.id())
                .containsEntry("ce_namespace", "workspace")
                .containsEntry("ce_app", "smoke");
        assertThat(log.decode(requested)).isEqualTo(push);

        // staging could only answer like this if it read the request's headers and data intact
        ConsumerRecord<String, byte[]> startedRecord = log.awaitRecord(push.id(), EventType.STAGE_STARTED, TIMEOUT);
        Event<EventData> started = log.decode(startedRecord);
        assertThat(startedRecord.key()).isEqualTo(blobUid);
        assertThat(started.source()).hasToString("/slipway/staging-service");
        assertThat(started.correlationId()).isEqualTo(push.id());
        assertThat(started.causationId()).isEqualTo(push.id());
        assertThat(started.data()).isEqualTo(new StageStarted(blobUid, request.app(), "jib", "example/builder:1"));
        assertThat(log.eventsOf(push.id())).extracting(Event::type)
                .startsWith(EventType.STAGE_REQUESTED, EventType.STAGE_STARTED);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndDoesNotBlockItsPartition() {
        String blobUid = UUID.randomUUID().toString();
        log.publishRaw(blobUid, "{not an event".getBytes(StandardCharsets.UTF_8),
                List.of(new RecordHeader("ce_type", "dev.slipway.stage.requested.v1".getBytes(StandardCharsets.UTF_8))));
        // same key, so same partition, right behind the poison record
        Event<StageRequested> push = upload.getBean(PushRequests.class).requestStage(new StageRequested(blobUid,
                new AppRef("workspace", "after-poison"), null, AppSettings.defaults(), null));

        assertThat(log.awaitEvent(push.id(), EventType.STAGE_STARTED, TIMEOUT).app()).isEqualTo("after-poison");
        try (TopicReader deadLetters = log.topic(Topics.deadLetter("staging-service"))) {
            ConsumerRecord<String, byte[]> dead = deadLetters.await(record -> blobUid.equals(record.key()), TIMEOUT);
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not an event");
            assertThat(EventLog.header(dead, DeadLetterErrorHandling.REASON_HEADER))
                    .contains("lacks the header(s) ce_id");
            assertThat(EventLog.header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.EVENTS);
        }
    }

    private ConfigurableApplicationContext start(SpringApplicationBuilder application) {
        // command-line arguments: they win over each service's own configuration file
        return application.run(
                "--spring.kafka.bootstrap-servers=" + bootstrapServers(),
                "--server.port=0",
                "--spring.cloud.stream.kafka.binder.consumer-properties.auto.offset.reset=earliest",
                "--slipway.auth.token-key=" + "k".repeat(32),
                "--slipway.secrets.key=" + "s".repeat(32));
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new java.util.HashMap<>();
        record.headers().forEach(header -> headers.put(header.key(),
                new String(header.value(), StandardCharsets.UTF_8)));
        return headers;
    }
}
