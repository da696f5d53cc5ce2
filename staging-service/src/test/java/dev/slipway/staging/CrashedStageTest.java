package dev.slipway.staging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.BlobKeys;
import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.DeadLetterErrorHandling;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.kafka.EventLog;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A request that killed staging-service three times (as its marks in the attempt ledger say) is not
 * staged a fourth time: it fails as STAGE_CRASHED, goes to the dead letters, and the next request of
 * its partition is staged.
 */
class CrashedStageTest extends StagingServiceTest {

    @Test
    void aRequestThatCrashedTheServiceThreeTimesIsFailedAsCrashedAndTheNextRequestIsStaged() throws Exception {
        AppRef app = new AppRef("workspace", "crash-" + UUID.randomUUID().toString().substring(0, 8));
        String blobUid = UUID.randomUUID().toString();
        byte[] archive = Archives.tarGz(Map.of("index.html", "<h1>after the crash</h1>"));
        s3.putObject(PutObjectArgs.builder().bucket("slipway-blobs").object(BlobKeys.of(app, blobUid))
                .stream(new ByteArrayInputStream(archive), archive.length, -1).build());
        Event<StageRequested> crasher = Event.start(UPLOAD, new StageRequested(blobUid, app, null,
                AppSettings.defaults(), null));
        int crashes = 3;
        log.markUnfinishedAttempts("staging-service", crasher, crashes);
        log.publish(crasher);
        Event<StageRequested> next = log.publish(crasher.replay(UPLOAD, crasher.data()));  // same partition, after it

        StageFailed crashed = failed(crasher);

        assertThat(crashed.failure().reason()).isEqualTo(ReasonCodes.STAGE_CRASHED);
        assertThat(crashed.failure().retryable()).isFalse();
        assertThat(crashed.failure().message()).contains("crashed staging-service " + crashes + " times",
                "slipway replay " + crasher.correlationId());
        assertThat(crashed.step()).isEqualTo(StageStep.FETCH);
        assertThat(crashed.request()).isEqualTo(crasher.data());
        try (var deadLetters = log.topic(Topics.deadLetter("staging-service"))) {
            var dead = deadLetters.await(record -> crasher.id().equals(EventLog.header(record, "ce_id")), TIMEOUT);
            assertThat(EventLog.header(dead, DeadLetterErrorHandling.REASON_HEADER)).startsWith("STAGE_CRASHED");
        }
        // the replay (the next record of the partition) is staged; the one stage.started of the push is the
        // replay's: the crashed request's own work never ran
        log.awaitEvent(next.correlationId(), EventType.STAGE_SUCCEEDED, TIMEOUT);
        assertThat(log.eventsOf(crasher.correlationId()).stream()
                .filter(event -> event.is(EventType.STAGE_STARTED))).hasSize(1);
    }
}
