package dev.slipway.upload.status;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.upload.eventlog.ReadModel;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every push's state, folded from the event log (each replica reads all of it, so all answer the
 * same). Events are applied once each, by id: the API applies what it publishes at once, and the
 * log delivers the same event again later.
 */
public class PushStates implements ReadModel {

    private final Map<String, PushState> pushes = new ConcurrentHashMap<>();
    private final Set<String> applied = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<PushState>> stagingWaiters = new ConcurrentHashMap<>();
    private final Duration stagingTimeout;

    public PushStates(Duration stagingTimeout) {
        this.stagingTimeout = stagingTimeout;
    }

    @Override
    public synchronized void apply(Event<? extends EventData> event) {
        if (!applied.add(event.id())) {
            return;
        }
        PushState current = pushes.get(event.correlationId());
        if (current == null && !starts(event)) {
            return;
        }
        PushState next = current == null ? PushState.start(event) : current.next(event);
        pushes.put(event.correlationId(), next);
        if (next.stagingFinished()) {
            CompletableFuture<PushState> waiter = stagingWaiters.remove(next.pushId());
            if (waiter != null) {
                waiter.complete(next);
            }
        }
    }

    public Optional<PushState> find(String pushId) {
        return Optional.ofNullable(pushes.get(pushId));
    }

    /** Completes when the push's staging has succeeded or failed. */
    public synchronized CompletableFuture<PushState> stagingFinished(String pushId) {
        PushState state = pushes.get(pushId);
        if (state != null && state.stagingFinished()) {
            return CompletableFuture.completedFuture(state);
        }
        return stagingWaiters.computeIfAbsent(pushId, id -> new CompletableFuture<>());
    }

    /**
     * The app's stage in progress, if any. A stage that has not finished within the staging timeout
     * no longer blocks the app: a stalled staging must not stop every later push.
     */
    public Optional<PushState> activeStaging(AppRef app) {
        OffsetDateTime cutoff = OffsetDateTime.now().minus(stagingTimeout);
        return pushes.values().stream()
                .filter(push -> push.app().equals(app) && PushState.STAGING.equals(push.phase()))
                .filter(push -> push.startedAt().isAfter(cutoff))
                .findFirst();
    }

    /** The app's most recent push that got as far as a release, if any. */
    public Optional<PushState> latestReleased(AppRef app) {
        return pushes.values().stream()
                .filter(push -> push.app().equals(app) && push.releaseRevision() != null)
                .max(java.util.Comparator.comparing(PushState::startedAt));
    }

    /** Epinio's status fields of an app, from its latest stage request. */
    public Map<String, Object> appStatus(AppState app) {
        Map<String, Object> status = new LinkedHashMap<>();
        Optional<PushState> latest = Optional.ofNullable(app.lastStageId()).map(pushes::get);
        status.put("image_url", latest.map(PushState::image).orElse(""));
        status.put("stage_id", app.lastStageId() == null ? "" : app.lastStageId());
        status.put("status", latest.map(PushStates::appPhase).orElse("created"));
        status.put("staging_status", latest.map(push -> push.stagingFinished()
                ? (PushState.FAILED.equals(push.phase()) && "staging".equals(push.failedStage()) ? "failed" : "done")
                : "staging").orElse(""));
        latest.filter(push -> push.failure() != null)
                .ifPresent(push -> status.put("statusmessage", push.failedStage() + " failed: "
                        + push.failure().reason() + ": " + push.failure().message()));
        return status;
    }

    /** Pushes start with an upload, a stage request, a deploy request (an image push) or in the queue. */
    private static boolean starts(Event<? extends EventData> event) {
        return event.is(EventType.BLOB_UPLOADED) || event.is(EventType.STAGE_REQUESTED)
                || event.is(EventType.DEPLOY_REQUESTED) || event.is(EventType.PUSH_QUEUED);
    }

    private static String appPhase(PushState push) {
        return switch (push.phase()) {
            case PushState.STAGING, PushState.QUEUED -> "staging";
            case PushState.FAILED -> "error";
            case PushState.DEPLOYED, PushState.ONLINE -> "running";
            default -> "deploying";
        };
    }
}
