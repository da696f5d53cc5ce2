package dev.slipway.deploy.pipeline;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Failure;
import dev.slipway.events.StageSucceeded;
import java.net.URI;
import java.util.function.Consumer;

/**
 * Makes a staged image (or an image push) run on the configured target: emits {@code app.deployed}
 * (revision, ready/desired) or {@code deploy.failed} (reason, message, retryable, and the request
 * for replay). A deleted app is removed from the target.
 */
public final class DeployPipeline {

    private final URI source;
    private final DeployTarget target;

    public DeployPipeline(URI source, DeployTarget target) {
        this.source = source;
        this.target = target;
    }

    public void accept(Event<? extends EventData> event, Consumer<Event<?>> emit) {
        if (event.data() instanceof AppDeleted deleted) {
            try {
                target.remove(deleted.app());
            } catch (DeployFailure failure) {
                // thrown: the binding retries the deletion, then dead-letters it
                throw new IllegalStateException("cannot remove " + deleted.app() + ": " + failure.getMessage(), failure);
            }
            return;
        }
        DeployRequested request;
        if (event.data() instanceof StageSucceeded staged) {
            request = new DeployRequested(staged.blobUid(), staged.app(), DeployAction.DEPLOY, staged.stageId(),
                    staged.image(), null, staged.settings());
        } else if (event.data() instanceof DeployRequested requested) {
            request = requested;
        } else {
            return;
        }
        try {
            emit.accept(event.next(source, request.action() == DeployAction.ROLLBACK ? target.rollBack(request)
                    : target.deploy(request)));
        } catch (DeployFailure failure) {
            emit.accept(event.next(source, new DeployFailed(request.blobUid(), request.app(),
                    new Failure(failure.reason(), failure.getMessage(), failure.retryable()), request)));
        }
    }
}
