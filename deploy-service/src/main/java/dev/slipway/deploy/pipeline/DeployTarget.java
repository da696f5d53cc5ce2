package dev.slipway.deploy.pipeline;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.DeployRequested;

/**
 * Where apps run: a Kubernetes cluster through Helm, or this machine through podman. The pipeline
 * around it is the same, so both answer the same events the same way.
 */
public interface DeployTarget {

    /**
     * Runs {@code request}'s image and answers once its instances are ready. Deploying what already
     * runs (a redelivery) changes nothing and answers with the current revision.
     */
    AppDeployed deploy(DeployRequested request) throws DeployFailure;

    /** Runs an earlier revision again (the previous one unless the request names one), as a new revision. */
    AppDeployed rollBack(DeployRequested request) throws DeployFailure;

    /** Stops and removes everything of a deleted app; nothing left is fine (a redelivery). */
    void remove(AppRef app) throws DeployFailure;
}
