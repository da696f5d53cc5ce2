package dev.slipway.upload.store;

import dev.slipway.events.AppRef;
import dev.slipway.events.BlobKeys;
import java.time.Instant;

/**
 * One blob the store keeps: an entry of the blob ledger ({@code Topics.BLOBS}), keyed like its object.
 *
 * @param namespace the app's namespace, whose quota the blob counts against
 * @param app       the app the blob was uploaded for
 * @param blobUid   the blob's uid
 * @param sizeBytes its size in the store
 * @param storedAt  when the store took it
 */
public record StoredBlob(String namespace, String app, String blobUid, long sizeBytes, Instant storedAt) {

    public AppRef appRef() {
        return new AppRef(namespace, app);
    }

    /** The ledger key, which is also the object's key in the bucket. */
    public String key() {
        return BlobKeys.of(appRef(), blobUid);
    }
}
