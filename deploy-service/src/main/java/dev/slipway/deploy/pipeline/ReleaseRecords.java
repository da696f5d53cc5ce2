package dev.slipway.deploy.pipeline;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;

/**
 * Where deploy-service keeps each app's current release and earlier revisions, so they outlive the
 * event log. A write that fails throws: the binding retries the input, whose deploy is then a no-op
 * answering the same revision, and the record is written again.
 */
public interface ReleaseRecords {

    /** {@code deployed} is the app's current release now (a redelivery of the current one changes nothing). */
    void released(AppDeployed deployed);

    /** The app is gone, and its releases with it. */
    void removed(AppRef app);
}
