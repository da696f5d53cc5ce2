package dev.slipway.events.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.teststage.BrokerView;
import dev.slipway.events.spring.teststage.TestStageApplication;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The cross-restart guarantee, for real: the test stage runs in a child JVM that is killed (SIGKILL:
 * no finally block, no shutdown hook, no offset commit) in the middle of a request's work, started
 * again, killed again. Its next life does not run that request a third time: it answers it with
 * STAGE_CRASHED, dead-letters it, and handles the next record of the partition.
 */
class StageCrashLoopTest {

    private static final int MAX_CRASHES = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Path LOG = Path.of("target", "stage-crash-loop.log");

    private static EmbeddedKafkaBroker broker;
    private static BrokerView view;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = new EmbeddedKafkaKraftBroker(1, 1, Topics.EVENTS);
        broker.afterPropertiesSet();
        view = new BrokerView(broker.getBrokersAsString());
        Files.deleteIfExists(LOG);
    }

    @AfterAll
    static void stopBroker() {
        view.close();
        broker.destroy();
    }

    @Test
    void aRequestThatKillsTheProcessIsRunTwiceThenFailedAsCrashedAndDeadLettered() throws Exception {
        String blob = UUID.randomUUID().toString();
        Event<StageRequested> killer = view.request("hang", blob);
        Event<StageRequested> next = view.request("ok", blob);

        for (int life = 1; life <= MAX_CRASHES; life++) {
            Process stage = startStage();
            int attempt = life;
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> view.count(killer, EventType.STAGE_STARTED) == attempt);
            stage.destroyForcibly().waitFor();
        }

        Process lastLife = startStage();
        try {
            StageFailed crashed = (StageFailed) view.await(killer, EventType.STAGE_FAILED, TIMEOUT).data();
            assertThat(crashed.failure().reason()).isEqualTo(ReasonCodes.STAGE_CRASHED);
            assertThat(crashed.failure().retryable()).isFalse();
            assertThat(crashed.failure().message()).contains("crashed test-stage " + MAX_CRASHES + " times",
                    Topics.deadLetter("test-stage"), "slipway replay " + killer.correlationId());
            assertThat(crashed.step()).isEqualTo(StageStep.BUILD);
            assertThat(crashed.request()).isEqualTo(killer.data());

            ConsumerRecord<String, byte[]> dead = view.await(Topics.deadLetter("test-stage"),
                    BrokerView.eventId(killer), TIMEOUT);
            assertThat(BrokerView.header(dead, DeadLetterErrorHandling.REASON_HEADER)).startsWith("STAGE_CRASHED: ");

            view.await(next, EventType.STAGE_SUCCEEDED, TIMEOUT);
            // the work itself ran once per life that died, never again
            assertThat(view.count(killer, EventType.STAGE_STARTED)).isEqualTo(MAX_CRASHES);
        } finally {
            lastLife.destroyForcibly().waitFor();
        }
    }

    /**
     * The test stage in a JVM of its own, on this test's classpath. A static group member: the next
     * life takes over the partition at once instead of waiting for the killed one's session to expire.
     */
    private static Process startStage() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), TestStageApplication.class.getName(),
                "--spring.config.name=test-stage",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--slipway.stage-attempts.max=" + MAX_CRASHES,
                "--spring.cloud.stream.kafka.bindings.stage-in-0.consumer.configuration.group.instance.id=test-stage-0"))
                .redirectErrorStream(true).redirectOutput(Redirect.appendTo(LOG.toFile())).start();
    }
}
