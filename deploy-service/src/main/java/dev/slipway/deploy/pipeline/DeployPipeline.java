package dev.slipway.deploy.pipeline;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.ReservedNamespaces;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.spring.StageInputs;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Makes a staged image (or an image push) run on the configured target: emits {@code app.deployed}
 * (revision, ready/desired) or {@code deploy.failed} (reason, message, retryable, and the request
 * for replay). A deleted app is removed from the target.
 */
public final class DeployPipeline {

    /** What the stage works on, for its attempt ledger. */
    public static final StageInputs INPUTS = StageInputs.of(DeployPipeline::failed, EventType.STAGE_SUCCEEDED,
            EventType.DEPLOY_REQUESTED, EventType.APP_DELETED);

    private final URI source;
    private final DeployTarget target;
    private final ReservedNamespaces reserved;
    private final ReleaseRecords releases;

    public DeployPipeline(URI source, DeployTarget target, ReservedNamespaces reserved, ReleaseRecords releases) {
        this.source = source;
        this.target = target;
        this.reserved = reserved;
        this.releases = releases;
    }

    public void accept(Event<? extends EventData> event, Consumer<Event<?>> emit) {
        if (event.data() instanceof AppDeleted deleted && reserved.isReserved(deleted.app().namespace())) {
            return;  // nothing of Slipway's is there to remove, and nothing else there is Slipway's to touch
        }
        if (event.data() instanceof AppDeleted deleted) {
            try {
                target.remove(deleted.app());
                releases.removed(deleted.app());
            } catch (DeployFailure failure) {
                // thrown: the binding retries the deletion, then dead-letters it
                throw new IllegalStateException("cannot remove " + deleted.app() + ": " + failure.getMessage(), failure);
            }
            return;
        }
        Optional<DeployRequested> asked = requestOf(event.data());
        if (asked.isEmpty()) {
            return;
        }
        DeployRequested request = asked.get();
        Optional<String> refusal = reserved.refusal(request.app().namespace());
        if (refusal.isPresent()) {
            // the API refuses these too; an event on the log may come from elsewhere
            emit.accept(event.next(source, DeployFailed.of(request,
                    new Failure(ReasonCodes.NAMESPACE_RESERVED, refusal.get(), false))));
            return;
        }
        AppDeployed deployed;
        try {
            deployed = request.action() == DeployAction.ROLLBACK ? target.rollBack(request) : target.deploy(request);
        } catch (DeployFailure failure) {
            emit.accept(event.next(source, DeployFailed.of(request,
                    new Failure(failure.reason(), failure.getMessage(), failure.retryable()))));
            return;
        }
        releases.released(deployed);
        emit.accept(event.next(source, deployed));
    }

    /** The deploy an event asks for: a staged image's, or a deploy request itself; empty for other events. */
    private static Optional<DeployRequested> requestOf(EventData data) {
        if (data instanceof StageSucceeded staged) {
            return Optional.of(new DeployRequested(staged.blobUid(), staged.app(), DeployAction.DEPLOY,
                    staged.stageId(), staged.image(), null, staged.settings()));
        }
        return data instanceof DeployRequested requested ? Optional.of(requested) : Optional.empty();
    }

    /** The deploy's failed event for an input, as {@link #accept} would emit it; none for a deletion. */
    private static Optional<DeployFailed> failed(Event<EventData> input, Failure failure) {
        return requestOf(input.data()).map(request -> DeployFailed.of(request, failure));
    }
}
