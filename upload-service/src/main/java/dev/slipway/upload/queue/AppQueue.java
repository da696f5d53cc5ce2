package dev.slipway.upload.queue;

import dev.slipway.events.Event;
import dev.slipway.events.PushSuperseded;
import dev.slipway.events.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One app's pushes: at most one running and one waiting, whatever the number of pushes sent. A pure
 * value: each method returns the next state and the events to publish.
 *
 * <p>The newest accepted push wins: a push that arrives while another runs waits, replacing (and
 * superseding) the one that waited; a push accepted before the newest one known, but arriving after it
 * (pushes of one app travel on several partitions), is superseded at once. Every step is idempotent:
 * a push seen before is ignored, and the events issued again for a redelivered signal carry the same
 * ids as the first time, so readers deduplicate them.
 *
 * @param running the push running now, or null
 * @param queued  the push waiting for it, or null
 * @param newest  the newest push accepted so far (running, queued or done)
 * @param recent  ids of the last pushes seen, newest last, at most {@link #REMEMBERED}
 * @param deleted the app's latest deletion, or null: a push accepted before it never runs, even if it
 *                reaches the queue after it
 */
record AppQueue(RunningPush running, QueuedPush queued, QueuedPush newest, List<String> recent, Deletion deleted) {

    /** A deletion of the app: the run that deleted it and when. */
    record Deletion(String deletionId, Instant at) {
    }

    /** How many push ids an app remembers: far more than a redelivery can repeat (one commit's worth). */
    static final int REMEMBERED = 32;

    AppQueue {
        recent = recent == null ? List.of() : List.copyOf(recent);
    }

    static AppQueue empty() {
        return new AppQueue(null, null, null, List.of(), null);
    }

    /** A push the API accepted: it runs if the app is free, else waits; an older waiting one is superseded. */
    QueueStep accept(QueuedPush push, Instant now) {
        if (recent.contains(push.pushId())) {
            // seen before: a redelivery. If it is the running push, its stage request may be what a crash
            // lost (the store's changelog can be ahead of the output): issue it again, under the same id
            return running != null && running.pushId().equals(push.pushId())
                    ? new QueueStep(this, List.of(stageRequested(push, now))) : unchanged();
        }
        List<String> seen = remember(push.pushId());
        if (deleted != null && !push.acceptedAt().isAfter(deleted.at())) {
            // for the app as it was before its deletion reached the queue from another partition
            return new QueueStep(new AppQueue(running, queued, newest, seen, deleted),
                    List.of(superseded(push, deleted.deletionId(), now)));
        }
        if (newest != null && newest.newerThan(push)) {
            return new QueueStep(new AppQueue(running, queued, newest, seen, deleted),
                    List.of(superseded(push, newest.pushId(), now)));
        }
        if (running == null) {
            return new QueueStep(new AppQueue(new RunningPush(push.pushId(), push.acceptedAt(), now), null, push, seen,
                    deleted), List.of(stageRequested(push, now)));
        }
        List<Event<?>> emitted = queued == null ? List.of() : List.of(superseded(queued, push.pushId(), now));
        return new QueueStep(new AppQueue(running, push, push, seen, deleted), emitted);
    }

    /** A push ended (online or failed): when it is the running one, the waiting one runs. */
    QueueStep ended(String pushId, Instant now) {
        if (running == null || !running.pushId().equals(pushId)) {
            return unchanged();
        }
        return runNext(now);
    }

    /** A running push older than {@code timeout} no longer holds the app: a stalled push must not block it for ever. */
    QueueStep expire(Instant now, Duration timeout) {
        if (running == null || running.since().plus(timeout).isAfter(now)) {
            return unchanged();
        }
        return runNext(now);
    }

    /**
     * The app was deleted at {@code deletedAt} (by the run {@code deletionId}): its pushes accepted before
     * then are dropped (the app they were for is gone); a waiting one ends as superseded by the deletion,
     * so its followers are told. A push accepted after it is for an app made again under the same name (the
     * deletion can reach the queue after it, from another partition) and stays; if only it is left, it runs.
     * The deletion is remembered, so a push accepted before it that arrives later is superseded too.
     */
    QueueStep appDeleted(String deletionId, Instant deletedAt, Instant now) {
        RunningPush keptRunning = running != null && running.acceptedAt().isAfter(deletedAt) ? running : null;
        QueuedPush keptQueued = queued != null && queued.acceptedAt().isAfter(deletedAt) ? queued : null;
        List<Event<?>> ended = queued != null && keptQueued == null
                ? List.of(superseded(queued, deletionId, now)) : List.of();
        Deletion latest = deleted != null && deleted.at().isAfter(deletedAt) ? deleted
                : new Deletion(deletionId, deletedAt);
        AppQueue kept = new AppQueue(keptRunning, keptQueued, newest, recent, latest);
        if (keptRunning == null && keptQueued != null) {
            return kept.runNext(now);
        }
        return new QueueStep(kept, ended);
    }

    private QueueStep runNext(Instant now) {
        if (queued == null) {
            return new QueueStep(new AppQueue(null, null, newest, recent, deleted), List.of());
        }
        return new QueueStep(new AppQueue(new RunningPush(queued.pushId(), queued.acceptedAt(), now), null, newest,
                recent, deleted),
                List.of(stageRequested(queued, now)));
    }

    private QueueStep unchanged() {
        return new QueueStep(this, List.of());
    }

    private List<String> remember(String pushId) {
        List<String> seen = new ArrayList<>(recent);
        seen.add(pushId);
        return seen.size() > REMEMBERED ? seen.subList(seen.size() - REMEMBERED, seen.size()) : seen;
    }

    /**
     * The push's stage request; its id is the push id, so issuing it again is the same event (and the same
     * span, a child of the push's {@code push.queued}).
     */
    static Event<?> stageRequested(QueuedPush push, Instant now) {
        return new Event<>(push.pushId(), push.source(), time(now), push.pushId(), push.pushId(), null,
                traceOf(push, push.pushId()), push.request());
    }

    /** The end of a push that will not run; one id per push, so a repeat is the same event. */
    static Event<?> superseded(QueuedPush push, String newerPushId, Instant now) {
        String id = UUID.nameUUIDFromBytes(("superseded:" + push.pushId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new Event<>(id, push.source(), time(now), push.pushId(), push.pushId(), null, traceOf(push, id),
                new PushSuperseded(push.blobUid(), push.request().app(), newerPushId));
    }

    private static TraceContext traceOf(QueuedPush push, String eventId) {
        return push.trace() == null ? TraceContext.derived(push.pushId(), eventId, push.pushId())
                : push.trace().childFor(eventId);
    }

    private static OffsetDateTime time(Instant now) {
        return OffsetDateTime.ofInstant(now, ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
