package dev.slipway.events;

/**
 * Where a blob lives in the blob bucket. Upload writes there, staging reads from there: both derive
 * the key from the app and blob uid carried by every event, so no key travels separately.
 */
public final class BlobKeys {

    private BlobKeys() {
    }

    /** {@code <namespace>/<app>/<blob uid>}: one prefix per app, so an app's blobs can be listed and removed. */
    public static String of(AppRef app, String blobUid) {
        return app.namespace() + "/" + app.name() + "/" + Names.requireUuid("blobUid", blobUid);
    }
}
