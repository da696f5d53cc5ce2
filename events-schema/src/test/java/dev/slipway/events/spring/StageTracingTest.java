package dev.slipway.events.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageRequested;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventHeaders;
import dev.slipway.events.spring.teststage.BrokerView;
import dev.slipway.events.spring.teststage.TestStageApplication;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * One push is one trace, on a real broker: what a stage emits is a child of its input's span, the
 * dead-letter topic keeps the trace, and the stage's log lines name the push while it is handled.
 * (The same context as {@link StageBindingsErrorTest}, so the two share one broker.)
 */
@SpringBootTest(classes = TestStageApplication.class, properties = {"spring.config.name=test-stage",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}"})
@EmbeddedKafka(partitions = 1, topics = Topics.EVENTS)
@Import(StageBindingsErrorTest.Containers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StageTracingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Autowired
    EmbeddedKafkaBroker broker;

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
    void everyEventOfAPushIsInItsTraceAsAChildOfItsCause() {
        Event<StageRequested> requested = view.request("ok", UUID.randomUUID().toString());
        view.await(requested, EventType.STAGE_SUCCEEDED, TIMEOUT);

        List<Event<EventData>> events = view.eventsOf(requested);
        assertThat(events).extracting(Event::type).containsExactly(EventType.STAGE_REQUESTED,
                EventType.STAGE_STARTED, EventType.STAGE_SUCCEEDED);
        for (Event<EventData> event : events) {
            assertThat(event.trace().traceId()).isEqualTo(requested.trace().traceId());
            Event<EventData> cause = events.stream().filter(candidate -> candidate.id().equals(event.causationId()))
                    .findFirst().orElseThrow();
            if (event != cause) {
                assertThat(event.trace().parentId()).isEqualTo(cause.trace().spanId());
            }
        }
        assertThat(events).extracting(event -> event.trace().spanId()).doesNotHaveDuplicates();
    }

    @Test
    void aDeadLetterKeepsTheTraceOfItsEvent() {
        Event<StageRequested> outOfMemory = view.request("oom", UUID.randomUUID().toString());

        ConsumerRecord<String, byte[]> dead = view.await(Topics.deadLetter("test-stage"),
                BrokerView.eventId(outOfMemory), TIMEOUT);

        assertThat(BrokerView.header(dead, EventHeaders.TRACEPARENT)).isEqualTo(outOfMemory.trace().traceparent());
    }

    @Test
    void aHandledEventsLogLineNamesItsPushTraceAndSpan() {
        Logger stageLog = (Logger) LoggerFactory.getLogger(TestStageApplication.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        stageLog.addAppender(lines);
        try {
            Event<StageRequested> requested = view.request("ok", UUID.randomUUID().toString());
            view.await(requested, EventType.STAGE_SUCCEEDED, TIMEOUT);

            ILoggingEvent staging = Awaitility.await().atMost(TIMEOUT).until(() -> lines.list.stream()
                    .filter(line -> line.getFormattedMessage().contains(requested.data().app().toString()))
                    .findFirst(), java.util.Optional::isPresent).orElseThrow();
            // formatted as the service's console shows it: the contract's correlation pattern in the configured one
            assertThat(consoleLayout().doLayout(staging)).contains("push=" + requested.correlationId()
                    + " trace=" + requested.trace().traceId() + " span=" + requested.trace().spanId()
                    + " " + EventType.STAGE_REQUESTED.type() + "]");
        } finally {
            stageLog.detachAppender(lines);
        }
    }

    private static PatternLayout consoleLayout() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) context
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(((PatternLayoutEncoder) console.getEncoder()).getPattern());
        layout.start();
        return layout;
    }
}
