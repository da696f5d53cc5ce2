package dev.slipway.upload.store;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.upload.apps.AppDeletionListener;
import dev.slipway.upload.apps.AppStore;
import dev.slipway.upload.store.BlobStore.StorageException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long blobs live: each app keeps its newest {@code slipway.store.keep-blobs} blobs, and a deleted
 * app keeps none. The object goes first and the ledger entry after it, so a blob the store could not
 * delete still counts against the quota and is tried again on the next upload.
 */
public class BlobLifecycle implements AppDeletionListener {

    private static final Logger log = LoggerFactory.getLogger(BlobLifecycle.class);

    private final BlobStore store;
    private final BlobLedger ledger;
    private final AppStore apps;
    private final StoreProperties properties;
    private final Clock clock;

    public BlobLifecycle(BlobStore store, BlobLedger ledger, AppStore apps, StoreProperties properties, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.apps = apps;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Deletes the app's blobs beyond its newest {@code keepBlobs}, sparing its last staged blob (a stage
     * without a blob uid restages it) and those younger than {@code keepBlobsYoungerThan} (a push may be
     * about to stage them). Never throws: the upload that triggered it has succeeded.
     */
    public List<StoredBlob> pruneOlderBlobs(AppRef app) {
        String lastStaged = apps.find(app).map(AppState::lastBlobUid).orElse(null);
        Instant youngSince = clock.instant().minus(properties.keepBlobsYoungerThan());
        List<StoredBlob> pruned = ledger.blobsOf(app).stream().skip(properties.keepBlobs())
                .filter(blob -> !blob.blobUid().equals(lastStaged))
                .filter(blob -> blob.storedAt().isBefore(youngSince))
                .filter(this::deleteQuietly)
                .toList();
        if (!pruned.isEmpty()) {
            log.info("deleted {} older blob(s) of {} beyond the newest {}", pruned.size(), app, properties.keepBlobs());
        }
        return pruned;
    }

    /** Every object under the app's prefix and every ledger entry of the app. */
    @Override
    public void appDeleted(AppRef app) {
        Set<String> keys = new HashSet<>();
        try {
            keys.addAll(store.keysUnder(app.namespace() + "/" + app.name() + "/"));
        } catch (StorageException e) {
            log.warn("could not list the blobs of deleted app {}; those in the ledger are still removed: {}", app,
                    e.getMessage());
        }
        for (StoredBlob blob : ledger.blobsOf(app)) {
            keys.remove(blob.key());
            deleteQuietly(blob);
        }
        for (String key : keys) {
            try {
                store.delete(key);
            } catch (StorageException e) {
                log.warn("could not delete {} of deleted app {}: {}", key, app, e.getMessage());
            }
        }
    }

    private boolean deleteQuietly(StoredBlob blob) {
        try {
            store.delete(blob.key());
            ledger.forget(blob);
            return true;
        } catch (StorageException | RuntimeException e) {
            log.warn("could not delete blob {}; it is tried again later: {}", blob.key(), e.getMessage());
            return false;
        }
    }
}
