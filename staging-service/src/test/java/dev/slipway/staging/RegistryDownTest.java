package dev.slipway.staging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.Event;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.DeadLetterErrorHandling;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.archives.Archives;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With the registry gone, staging tries again with back-off, then fails as REGISTRY_UNAVAILABLE, retryable. */
class RegistryDownTest extends StagingServiceTest {

    private static final String DEAD_REGISTRY = "127.0.0.1:" + FreePorts.next();

    @DynamicPropertySource
    static void deadRegistry(DynamicPropertyRegistry registry) {
        registry.add("slipway.staging.build.registry", () -> DEAD_REGISTRY);
        registry.add("slipway.staging.build.base-images.static", () -> DEAD_REGISTRY + "/slipway/base-busybox:1");
        registry.add("slipway.staging.build.attempts", () -> "3");
        registry.add("slipway.staging.build.retry-wait", () -> "100ms");
    }

    @Test
    void aRegistryThatDoesNotAnswerFailsTheStageAsRetryableAfterRetries() throws Exception {
        Event<StageRequested> push = stage("offline", Archives.tarGz(Map.of("index.html", "hi")));

        StageFailed failure = failed(push);

        assertThat(failure.step()).isEqualTo(StageStep.BUILD);
        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.REGISTRY_UNAVAILABLE);
        assertThat(failure.failure().retryable()).isTrue();
        assertThat(failure.failure().message()).contains(DEAD_REGISTRY, "after 3 tries", "replay");
        assertThat(failure.request()).isEqualTo(push.data());
        try (var deadLetters = log.topic(Topics.deadLetter("staging-service"))) {
            var dead = deadLetters.await(record -> push.data().blobUid().equals(record.key()), TIMEOUT);
            assertThat(log.decode(dead)).isEqualTo(push);
            assertThat(EventLog.header(dead, DeadLetterErrorHandling.REASON_HEADER)).startsWith("REGISTRY_UNAVAILABLE");
        }
    }
}
