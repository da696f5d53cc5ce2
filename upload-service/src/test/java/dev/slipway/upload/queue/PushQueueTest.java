package dev.slipway.upload.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.PushQueued;
import dev.slipway.events.PushSuperseded;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.StageRequested;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kafka.TopicReader;
import dev.slipway.upload.streams.StreamsProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The queue's Streams application on a real broker: what users of one app see when they push at once,
 * that apps never wait for each other, and that a restart, a stalled push or a poison record does not
 * lose or block a push.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
class PushQueueTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final URI API = URI.create("/slipway/upload-service");

    @TempDir
    Path stateDirs;

    private final List<PushQueueStreams> started = new ArrayList<>();
    private EventLog log;
    private TopicReader reader;
    private String applicationId;

    @BeforeEach
    void open() {
        log = new EventLog(brokers());
        reader = log.topic(Topics.EVENTS);
        applicationId = "push-queue-test-" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        started.forEach(PushQueueStreams::stop);
        reader.close();
        log.close();
    }

    @Test
    void aFloodOfPushesToOneAppKeepsOneRunningAndOneWaitingAndTheNewestRunsNext() {
        startQueue(Duration.ofMinutes(15));
        AppRef app = app();
        Event<PushQueued> first = queue(app);
        awaitStageRequested(first);
        List<Event<PushQueued>> flood = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            flood.add(queue(app));
        }
        Event<PushQueued> newest = flood.get(flood.size() - 1);

        for (int i = 0; i < flood.size() - 1; i++) {
            Event<EventData> superseded = log.awaitEvent(flood.get(i).correlationId(), EventType.PUSH_SUPERSEDED,
                    TIMEOUT);
            assertThat(((PushSuperseded) superseded.data()).supersededBy()).as("each by a newer push of the app")
                    .isIn(flood.subList(i + 1, flood.size()).stream().map(Event::correlationId).toList());
        }
        end(first);

        Event<EventData> issued = awaitStageRequested(newest);
        assertThat(issued.key()).isEqualTo(newest.key());
        assertThat(stageRequests(app)).as("the first push and the newest ran; every other one was superseded")
                .containsExactlyInAnyOrder(first.correlationId(), newest.correlationId());
    }

    @Test
    void aPushToAnotherAppNeverWaitsForThisOne() {
        startQueue(Duration.ofMinutes(15));
        Event<PushQueued> busy = queue(app());
        awaitStageRequested(busy);
        queue(busy.data().app());

        Event<PushQueued> elsewhere = queue(app());

        awaitStageRequested(elsewhere);
    }

    @Test
    void aQueuedPushIsStillIssuedAfterTheQueueRestartsWithoutItsLocalState() {
        PushQueueStreams before = startQueue(Duration.ofMinutes(15));
        AppRef app = app();
        Event<PushQueued> running = queue(app);
        awaitStageRequested(running);
        Event<PushQueued> waiting = queue(app);
        // the queue has taken the waiting push in (and committed) once a later signal of the app is through
        Event<PushQueued> marker = queue(app());
        awaitStageRequested(marker);

        before.stop();
        started.remove(before);
        startQueue(Duration.ofMinutes(15));  // a new state folder: only the store's changelog remembers
        end(running);

        awaitStageRequested(waiting);
        assertThat(stageRequests(app)).containsExactlyInAnyOrder(running.correlationId(), waiting.correlationId());
    }

    @Test
    void aRunningPushThatNeverEndsHoldsItsAppNoLongerThanTheStagingTimeout() {
        Duration stagingTimeout = Duration.ofSeconds(2);
        startQueue(stagingTimeout);
        AppRef app = app();
        Event<PushQueued> stalled = queue(app);
        awaitStageRequested(stalled);
        Event<PushQueued> waiting = queue(app);
        long queuedAt = System.nanoTime();

        awaitStageRequested(waiting);

        assertThat(Duration.ofNanos(System.nanoTime() - queuedAt)).isGreaterThanOrEqualTo(
                stagingTimeout.minusMillis(300));
    }

    @Test
    void anUnreadableRecordOnTheLogDoesNotStopTheQueue() {
        startQueue(Duration.ofMinutes(15));
        log.publishRaw(UUID.randomUUID().toString(), "{not json".getBytes(StandardCharsets.UTF_8),
                List.of(new RecordHeader("ce_type", EventType.PUSH_QUEUED.type().getBytes(StandardCharsets.UTF_8))));

        Event<PushQueued> push = queue(app());

        awaitStageRequested(push);
        assertThat(started.get(0).state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
    }

    @Test
    void aDeletedAppForgetsItsQueueAndANewAppOfTheSameNameStartsFree() {
        startQueue(Duration.ofMinutes(15));
        AppRef app = app();
        Event<PushQueued> running = queue(app);
        awaitStageRequested(running);
        Event<PushQueued> waiting = queue(app);
        log.publish(Event.start(API, new AppDeleted(UUID.randomUUID().toString(), app, "alice")));

        Event<PushQueued> recreated = queue(app);

        awaitStageRequested(recreated);
        assertThat(stageRequests(app)).containsExactlyInAnyOrder(running.correlationId(), recreated.correlationId());
    }

    private PushQueueStreams startQueue(Duration stagingTimeout) {
        StreamsProperties properties = new StreamsProperties(
                stateDirs.resolve(UUID.randomUUID().toString()).toString(), "", Duration.ofMillis(100));
        PushQueueStreams queue = new PushQueueStreams(properties.forApplication(applicationId,
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers())), stagingTimeout,
                Duration.ofMillis(200), Clock.systemUTC(), false);
        queue.start();
        started.add(queue);
        return queue;
    }

    /** What the API publishes when it accepts a push of source. */
    private Event<PushQueued> queue(AppRef app) {
        String pushId = UUID.randomUUID().toString();
        String id = UUID.randomUUID().toString();
        StageRequested request = new StageRequested(UUID.randomUUID().toString(), app, null, AppSettings.defaults(),
                null);
        return log.publish(new Event<>(id, API, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS),
                pushId, id, null, new PushQueued(request.blobUid(), app, request)));
    }

    private Event<EventData> awaitStageRequested(Event<PushQueued> push) {
        Event<EventData> requested = log.awaitEvent(push.correlationId(), EventType.STAGE_REQUESTED, TIMEOUT);
        assertThat(requested.id()).isEqualTo(push.correlationId());
        assertThat(requested.data()).isEqualTo(push.data().request());
        return requested;
    }

    private void end(Event<PushQueued> push) {
        String stageRequestId = push.correlationId();
        Event<StageRequested> requested = new Event<>(stageRequestId, API, push.time(), stageRequestId,
                stageRequestId, null, push.data().request());
        log.publish(requested.next(URI.create("/slipway/routing-service"), new RoutesReady(push.key(),
                push.data().app(), List.of("http://" + push.data().app().name() + ".apps.test"))));
    }

    /** Push ids of the app's stage requests, once they have stayed the same for a second. */
    private List<String> stageRequests(AppRef app) {
        return await().during(Duration.ofSeconds(1)).atMost(TIMEOUT).until(() -> requestsSoFar(app),
                new java.util.function.Predicate<List<String>>() {
                    private List<String> last;

                    @Override
                    public boolean test(List<String> now) {
                        boolean same = now.equals(last);
                        last = now;
                        return same;
                    }
                });
    }

    private List<String> requestsSoFar(AppRef app) {
        return reader.poll().stream()
                .filter(record -> header(record, "ce_type").equals(EventType.STAGE_REQUESTED.type())
                        && header(record, "ce_subject").equals(app.toString()))
                .map(record -> header(record, "ce_id"))
                .toList();
    }

    private static AppRef app() {
        return new AppRef("workspace", "app-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String brokers() {
        return EmbeddedKafkaCondition.getBroker().getBrokersAsString();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return Objects.toString(EventLog.header(record, name), "");
    }
}
