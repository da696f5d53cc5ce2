package dev.slipway.upload.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.PushSuperseded;
import dev.slipway.events.StageRequested;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The queue's rules without a broker: what each signal does to an app's queue and which events it issues. */
class AppQueueTest {

    private static final AppRef APP = new AppRef("workspace", "shop");
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aPushToAFreeAppRunsAtOnceAsAStageRequestWhoseIdIsThePushId() {
        QueuedPush push = push(T0);

        QueueStep step = AppQueue.empty().accept(push, T0);

        assertThat(step.emitted()).singleElement().satisfies(event -> {
            assertThat(event.id()).isEqualTo(push.pushId());
            assertThat(event.correlationId()).isEqualTo(push.pushId());
            assertThat(event.causationId()).isEqualTo(push.pushId());
            assertThat(event.key()).isEqualTo(push.blobUid());
            assertThat(event.data()).isEqualTo(push.request());
        });
        assertThat(step.next().running().pushId()).isEqualTo(push.pushId());
        assertThat(step.next().queued()).isNull();
    }

    @Test
    void aFloodOfPushesKeepsOneRunningAndOnlyTheNewestWaitingEachOlderOneSupersededByTheNext() {
        QueuedPush first = push(T0);
        AppQueue queue = AppQueue.empty().accept(first, T0).next();
        QueuedPush previous = null;
        for (int i = 1; i <= 100; i++) {
            QueuedPush next = push(T0.plusMillis(i));
            QueueStep step = queue.accept(next, T0.plusMillis(i));
            if (previous == null) {
                assertThat(step.emitted()).isEmpty();
            } else {
                String newer = next.pushId();
                String older = previous.pushId();
                assertThat(step.emitted()).singleElement().satisfies(event -> {
                    assertThat(event.correlationId()).isEqualTo(older);
                    assertThat(((PushSuperseded) event.data()).supersededBy()).isEqualTo(newer);
                });
            }
            queue = step.next();
            previous = next;
        }

        assertThat(queue.running().pushId()).isEqualTo(first.pushId());
        assertThat(queue.queued().pushId()).isEqualTo(previous.pushId());
        assertThat(queue.recent()).hasSize(AppQueue.REMEMBERED);
        String waiting = queue.queued().pushId();
        QueueStep ended = queue.ended(first.pushId(), T0.plusSeconds(5));
        assertThat(ended.emitted()).singleElement().satisfies(event -> assertThat(event.id()).isEqualTo(waiting));
        assertThat(ended.next().queued()).isNull();
    }

    @Test
    void aPushAcceptedBeforeTheNewestButArrivingAfterItIsSupersededAtOnceAndNeverRuns() {
        QueuedPush older = push(T0);
        QueuedPush newer = push(T0.plusMillis(1));
        AppQueue queue = AppQueue.empty().accept(newer, T0).next();

        QueueStep late = queue.accept(older, T0.plusMillis(2));

        assertThat(late.emitted()).singleElement().satisfies(event -> {
            assertThat(event.correlationId()).isEqualTo(older.pushId());
            assertThat(((PushSuperseded) event.data()).supersededBy()).isEqualTo(newer.pushId());
        });
        assertThat(late.next().running().pushId()).isEqualTo(newer.pushId());
        assertThat(late.next().queued()).isNull();
    }

    @Test
    void aRedeliveredSignalChangesNothingAndReissuesOnlyTheRunningPushsRequest() {
        QueuedPush first = push(T0);
        QueuedPush second = push(T0.plusMillis(1));
        QueuedPush third = push(T0.plusMillis(2));
        AppQueue queue = AppQueue.empty().accept(first, T0).next().accept(second, T0).next();
        QueueStep superseding = queue.accept(third, T0);
        queue = superseding.next();

        for (QueuedPush again : new QueuedPush[] {second, third}) {
            QueueStep repeat = queue.accept(again, T0.plusSeconds(1));
            assertThat(repeat.emitted()).isEmpty();
            assertThat(repeat.next()).isEqualTo(queue);
        }
        // the running push's request may be what a crash lost after its state was stored: issued again,
        // under the push id, so a reader that has it drops the copy
        QueueStep rerun = queue.accept(first, T0.plusSeconds(1));
        assertThat(rerun.next()).isEqualTo(queue);
        assertThat(rerun.emitted()).singleElement().satisfies(event -> assertThat(event.id())
                .isEqualTo(first.pushId()));
        assertThat(queue.ended(second.pushId(), T0).emitted()).as("only the running push's end frees the app")
                .isEmpty();
        // issued again after a restart, a supersession is the same event: readers drop it by id
        assertThat(AppQueue.superseded(second, third.pushId(), T0.plusSeconds(9)).id())
                .isEqualTo(superseding.emitted().get(0).id());
    }

    @Test
    void aRunningPushStopsHoldingItsAppOnlyOnceTheTimeoutHasPassed() {
        QueuedPush stalled = push(T0);
        QueuedPush waiting = push(T0.plusMillis(1));
        AppQueue queue = AppQueue.empty().accept(stalled, T0).next().accept(waiting, T0).next();
        Duration timeout = Duration.ofMinutes(15);

        assertThat(queue.expire(T0.plus(timeout).minusMillis(1), timeout).emitted()).isEmpty();
        QueueStep expired = queue.expire(T0.plus(timeout), timeout);

        assertThat(expired.emitted()).singleElement().satisfies(event -> assertThat(event.id())
                .isEqualTo(waiting.pushId()));
        assertThat(expired.next().running().pushId()).isEqualTo(waiting.pushId());
        assertThat(expired.next().running().since()).isEqualTo(T0.plus(timeout));
    }

    @Test
    void aDeletedAppDropsItsPushesAcceptedBeforeTheDeletionButNotOneForTheAppMadeAgain() {
        QueuedPush running = push(T0);
        QueuedPush waiting = push(T0.plusMillis(1));
        AppQueue queue = AppQueue.empty().accept(running, T0).next().accept(waiting, T0).next();

        String deletion = UUID.randomUUID().toString();
        QueueStep deleted = queue.appDeleted(deletion, T0.plusMillis(5), T0.plusMillis(6));
        // the waiting push ends, superseded by the deletion, so whoever follows it is told
        assertThat(deleted.emitted()).singleElement().satisfies(event -> {
            assertThat(event.correlationId()).isEqualTo(waiting.pushId());
            assertThat(((PushSuperseded) event.data()).supersededBy()).isEqualTo(deletion);
        });
        assertThat(deleted.next().running()).isNull();
        assertThat(deleted.next().queued()).isNull();

        // the deletion reached the queue after a push for the app made again under the same name
        QueueStep late = queue.appDeleted(deletion, T0.plusMillis(0).plusNanos(500_000), T0.plusMillis(6));
        assertThat(late.emitted()).singleElement().satisfies(event -> assertThat(event.id())
                .isEqualTo(waiting.pushId()));
    }

    @Test
    void aPushAcceptedBeforeTheDeletionButArrivingAfterItNeverRunsAndDoesNotHoldTheAppMadeAgain() {
        QueuedPush running = push(T0);
        QueuedPush waiting = push(T0.plusMillis(1));
        QueuedPush recreated = push(T0.plusMillis(10));
        String deletion = UUID.randomUUID().toString();
        AppQueue queue = AppQueue.empty().accept(running, T0).next()
                .appDeleted(deletion, T0.plusMillis(5), T0.plusMillis(6)).next();

        // the push that waited before the deletion reaches the queue only now, from another partition
        QueueStep late = queue.accept(waiting, T0.plusMillis(7));
        assertThat(late.emitted()).singleElement().satisfies(event -> {
            assertThat(event.correlationId()).isEqualTo(waiting.pushId());
            assertThat(((PushSuperseded) event.data()).supersededBy()).isEqualTo(deletion);
        });
        assertThat(late.next().running()).isNull();

        QueueStep again = late.next().accept(recreated, T0.plusMillis(11));
        assertThat(again.emitted()).singleElement().satisfies(event -> assertThat(event.id())
                .isEqualTo(recreated.pushId()));
    }

    @Test
    void theQueueSurvivesItsJsonRoundTrip() {
        AppQueue queue = AppQueue.empty().accept(push(T0), T0).next().accept(push(T0.plusMillis(1)), T0).next()
                .appDeleted(UUID.randomUUID().toString(), T0.plusMillis(2), T0).next()
                .accept(push(T0.plusMillis(3)), T0).next();
        assertThat(queue.deleted()).isNotNull();
        JsonSerde<AppQueue> serde = new JsonSerde<>(AppQueue.class);

        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", queue))).isEqualTo(queue);
    }

    static QueuedPush push(Instant acceptedAt) {
        String blobUid = UUID.randomUUID().toString();
        return new QueuedPush(UUID.randomUUID().toString(), acceptedAt, URI.create("/slipway/upload-service"),
                new StageRequested(blobUid, APP, null, AppSettings.defaults(), null));
    }
}
