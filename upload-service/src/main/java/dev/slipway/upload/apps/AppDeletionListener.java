package dev.slipway.upload.apps;

import dev.slipway.events.AppRef;

/**
 * Told when an app has been deleted, so what other features keep for it (its blobs) goes too. The app
 * is already gone when this runs; a listener that fails is logged and does not undo the deletion.
 */
public interface AppDeletionListener {

    void appDeleted(AppRef app);
}
