package dev.slipway.events.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.StageRequested;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.teststage.BrokerView;
import dev.slipway.events.spring.teststage.TestStageApplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.event.ConsumerStartedEvent;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Errors in a stage, on a real broker: the record that threw fails (tried again, then dead-lettered),
 * the consumer goes on with the next record of the partition, and health stays UP; a listener
 * container that stops anyway turns health DOWN.
 */
@SpringBootTest(classes = TestStageApplication.class, properties = {"spring.config.name=test-stage",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}"})
@EmbeddedKafka(partitions = 1, topics = Topics.EVENTS)
@Import(StageBindingsErrorTest.Containers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StageBindingsErrorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String DEAD_LETTERS = Topics.deadLetter("test-stage");

    @Autowired
    EmbeddedKafkaBroker broker;
    @Autowired
    HealthEndpoint health;
    @Autowired
    ConsumersHealthIndicator consumers;
    @Autowired
    Containers containers;

    private BrokerView view;

    @BeforeAll
    void openView() {
        view = new BrokerView(broker.getBrokersAsString());
    }

    @AfterAll
    void closeView() {
        view.close();
    }

    @Test
    void anOutOfMemoryErrorFailsItsRecordAndTheNextRecordOfThePartitionIsHandled() {
        String blob = UUID.randomUUID().toString();
        Event<StageRequested> outOfMemory = view.request("oom", blob);
        Event<StageRequested> next = view.request("ok", blob);

        ConsumerRecord<String, byte[]> dead = view.await(DEAD_LETTERS, BrokerView.eventId(outOfMemory), TIMEOUT);
        view.await(next, EventType.STAGE_SUCCEEDED, TIMEOUT);

        assertThat(BrokerView.header(dead, DeadLetterErrorHandling.REASON_HEADER)).isEqualTo("Java heap space");
        // tried as often as the binding says (max-attempts 2), like any failing record
        assertThat(view.count(outOfMemory, EventType.STAGE_STARTED)).isEqualTo(2);
        assertUp();
    }

    @Test
    void aStackOverflowErrorFailsItsRecordAndTheNextRecordOfThePartitionIsHandled() {
        String blob = UUID.randomUUID().toString();
        Event<StageRequested> tooDeep = view.request("deep", blob);
        Event<StageRequested> next = view.request("ok", blob);

        ConsumerRecord<String, byte[]> dead = view.await(DEAD_LETTERS, BrokerView.eventId(tooDeep), TIMEOUT);
        view.await(next, EventType.STAGE_SUCCEEDED, TIMEOUT);

        assertThat(BrokerView.header(dead, DeadLetterErrorHandling.REASON_HEADER))
                .isEqualTo(StackOverflowError.class.getName());
        assertUp();
    }

    @Test
    void aListenerContainerThatStopsTurnsHealthDownUntilItRunsAgain() {
        MessageListenerContainer container = containers.binding();

        container.stop();
        assertConsumers(Status.DOWN, "stopped");
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        container.start();
        await().atMost(TIMEOUT).until(() -> consumers.health(true).getStatus().equals(Status.UP));

        // what Spring Kafka's emergency stop does after an Error or a fatal consumer exception
        container.stopAbnormally(() -> { });
        assertConsumers(Status.DOWN, "its consumer stopped (ABNORMAL)");
        container.start();
        await().atMost(TIMEOUT).until(() -> consumers.health(true).getStatus().equals(Status.UP));

        Event<StageRequested> afterRestart = view.request("ok", UUID.randomUUID().toString());
        view.await(afterRestart, EventType.STAGE_SUCCEEDED, TIMEOUT);
    }

    private void assertUp() {
        assertThat(consumers.health(true).getStatus()).isEqualTo(Status.UP);
        assertThat(consumers.health(true).getDetails()).containsEntry("consumer group test-stage on slipway.events",
                "running");
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    /** Waits for the state: the container is not running at once, its consumer thread says why a moment later. */
    private void assertConsumers(Status status, String detail) {
        Health consumersHealth = await().atMost(TIMEOUT).until(() -> consumers.health(true),
                current -> current.getDetails().equals(Map.of("consumer group test-stage on slipway.events", detail)));
        assertThat(consumersHealth.getStatus()).isEqualTo(status);
    }

    /** The binding's container, as Spring Kafka announces it. */
    static class Containers {

        private final List<MessageListenerContainer> started = new CopyOnWriteArrayList<>();

        @Bean
        ApplicationListener<ConsumerStartedEvent> bindingContainers() {
            return event -> started.add(event.getContainer(MessageListenerContainer.class));
        }

        MessageListenerContainer binding() {
            return await().atMost(TIMEOUT).until(() -> started.stream().findFirst(), java.util.Optional::isPresent)
                    .orElseThrow();
        }
    }
}
