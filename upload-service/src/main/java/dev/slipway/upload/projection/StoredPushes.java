package dev.slipway.upload.projection;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.upload.status.PushState;
import dev.slipway.upload.status.PushStates;
import dev.slipway.upload.tracking.AuditPage;
import dev.slipway.upload.tracking.AuditQuery;
import dev.slipway.upload.tracking.EventHistory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Pushes as the API reads them: the stores of this replica (it holds the pushes whose requests
 * reach it, see {@link ReplicaForwarding}), with the {@link RecentEvents} the stores do not have
 * yet folded on top, and the app summaries every replica holds.
 */
class StoredPushes implements PushStates, EventHistory {

    private final Projections projections;
    private final RecentEvents recent;
    private final AuditReader audit;
    private final Duration stagingTimeout;

    StoredPushes(Projections projections, RecentEvents recent, AuditReader audit, Duration stagingTimeout) {
        this.projections = projections;
        this.recent = recent;
        this.audit = audit;
        this.stagingTimeout = stagingTimeout;
    }

    @Override
    public Optional<PushState> find(String pushId) {
        byte[] stored = projections.get(ProjectionTopology.PUSH_EVENTS, pushId);
        List<Event<EventData>> unstored = unstored(stored, recent.ofPush(pushId));
        PushState state = StoredJson.state(projections.get(ProjectionTopology.PUSH_STATES, pushId));
        if (unstored.isEmpty()) {
            return Optional.ofNullable(state);
        }
        // the state of the stored events, then the recent ones on top; from the events when they are kept
        PushState folded = stored == null ? state : null;
        List<Event<EventData>> events = stored == null ? unstored
                : Stream.concat(decode(stored).stream(), unstored.stream()).toList();
        for (Event<EventData> event : events) {
            folded = PushStates.fold(folded, event);
        }
        return Optional.ofNullable(folded);
    }

    @Override
    public CompletableFuture<PushState> stagingFinished(String pushId) {
        CompletableFuture<PushState> finished = new CompletableFuture<>();
        Consumer<Event<EventData>> listener = event -> find(pushId).filter(PushState::stagingFinished)
                .ifPresent(finished::complete);
        recent.follow(pushId, listener);
        finished.whenComplete((state, failure) -> recent.unfollow(pushId, listener));
        find(pushId).filter(PushState::stagingFinished).ifPresent(finished::complete);
        return finished;
    }

    @Override
    public Optional<PushState> activeStaging(AppRef app) {
        OffsetDateTime cutoff = OffsetDateTime.now().minus(stagingTimeout);
        Stream<PushState> recentOnes = recent.pushesOf(app.namespace(), app.name()).stream()
                .map(this::find).flatMap(Optional::stream);
        Stream<PushState> summarised = summary(app).staging().values().stream()
                // a newer word on the push from this replica wins over the summary's
                .map(push -> find(push.pushId()).orElse(push));
        return Stream.concat(recentOnes, summarised)
                .filter(push -> PushState.STAGING.equals(push.phase()) && push.app().equals(app))
                .filter(push -> push.startedAt().isAfter(cutoff))
                .findFirst();
    }

    @Override
    public Optional<PushState> unfinished(AppRef app) {
        OffsetDateTime cutoff = OffsetDateTime.now().minus(stagingTimeout);
        Stream<PushState> recentOnes = recent.pushesOf(app.namespace(), app.name()).stream()
                .map(this::find).flatMap(Optional::stream);
        Stream<PushState> summarised = summary(app).unfinished().values().stream()
                .map(push -> find(push.pushId()).orElse(push));
        return Stream.concat(recentOnes, summarised)
                .filter(push -> !push.ended() && push.app().equals(app))
                .filter(push -> push.startedAt().isAfter(cutoff))
                .max(java.util.Comparator.comparing(PushState::startedAt));
    }

    /** The summary's, or a newer release this replica has just seen (the summary follows a moment later). */
    @Override
    public Optional<PushState> latestReleased(AppRef app) {
        Stream<PushState> recentOnes = recent.pushesOf(app.namespace(), app.name()).stream()
                .map(this::find).flatMap(Optional::stream);
        return Stream.concat(Stream.ofNullable(summary(app).latestReleased()), recentOnes)
                .filter(push -> push.releaseRevision() != null && push.app().equals(app))
                .max(java.util.Comparator.comparing(PushState::startedAt));
    }

    @Override
    public Optional<PushState> lastStage(AppState app) {
        Optional<PushState> known = find(app.lastStageId());
        if (known.isPresent()) {
            return known;
        }
        return Optional.ofNullable(summary(app.ref()).lastStage())
                .filter(stage -> stage.pushId().equals(app.lastStageId()));
    }

    @Override
    public List<Event<EventData>> ofPush(String pushId) {
        byte[] stored = projections.get(ProjectionTopology.PUSH_EVENTS, pushId);
        List<Event<EventData>> events = new ArrayList<>(decode(stored));
        events.addAll(unstored(stored, recent.ofPush(pushId)));
        return events;
    }

    /** Registered before the stored events are read: an event arriving meanwhile is in one or both. */
    @Override
    public List<Event<EventData>> follow(String pushId, Consumer<Event<EventData>> follower) {
        recent.follow(pushId, follower);
        return ofPush(pushId);
    }

    @Override
    public void unfollow(String pushId, Consumer<Event<EventData>> follower) {
        recent.unfollow(pushId, follower);
    }

    @Override
    public AuditPage audit(AuditQuery query) {
        return audit.read(query);
    }

    private AppPushes summary(AppRef app) {
        return StoredJson.appPushes(projections.get(ProjectionTopology.APP_PUSHES, ProjectionTopology.appKey(app)));
    }

    private static List<Event<EventData>> unstored(byte[] stored, List<Event<EventData>> recentOnes) {
        return recentOnes.stream().filter(event -> !EventList.contains(stored, event.id())).toList();
    }

    private static List<Event<EventData>> decode(byte[] stored) {
        return EventList.jsons(stored).stream().map(EventCodec::fromStructuredJson).toList();
    }
}
