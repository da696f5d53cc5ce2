package dev.slipway.upload.store;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/** Object storage for source blobs; the only implementation talks S3 (MinIO SDK). */
public interface BlobStore {

    /**
     * Streams {@code content} to {@code key}. The object appears only once complete: a failure part
     * way leaves nothing behind.
     */
    void put(String key, InputStream content, Map<String, String> metadata) throws StorageException;

    InputStream get(String key) throws StorageException;

    boolean exists(String key) throws StorageException;

    void delete(String key) throws StorageException;

    /** The keys of every object under {@code prefix} (an app's {@code <namespace>/<app>/}). */
    List<String> keysUnder(String prefix) throws StorageException;

    /** Why the store could not do its part, mapped to 503 (unreachable) or 507 (full) by the API. */
    class StorageException extends Exception {
        private final boolean full;

        public StorageException(String message, boolean full, Throwable cause) {
            super(message, cause);
            this.full = full;
        }

        public boolean full() {
            return full;
        }
    }
}
