package dev.slipway.upload.store;

import dev.slipway.upload.store.SizeLimitedInputStream.UploadTooLargeException;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;

/** Blobs in an S3 bucket, written as multipart uploads of {@code partSize} so memory stays flat. */
public class S3BlobStore implements BlobStore {

    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    private static final Set<String> FULL_CODES = Set.of("XMinioStorageFull", "InsufficientStorage",
            "QuotaExceeded", "XMinioAdminBucketQuotaExceeded");

    private final MinioClient client;
    private final String bucket;
    private final long partSize;
    private volatile boolean bucketReady;

    public S3BlobStore(MinioClient client, String bucket, long partSize) {
        this.client = client;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    /** Creates the bucket when missing; a store that is down now is tried again on the first upload. */
    public void ensureBucket() {
        try {
            ensureBucketExists();
        } catch (StorageException e) {
            log.warn("bucket {} not ready yet, will retry on first upload: {}", bucket, e.getMessage());
        }
    }

    @Override
    public void put(String key, InputStream content, Map<String, String> metadata) throws StorageException {
        ensureBucketExists();
        try {
            // unknown size: the SDK uploads parts of partSize and aborts the upload if reading fails
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(content, -1, partSize)
                    .contentType("application/octet-stream")
                    .userMetadata(metadata)
                    .build());
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            throw new StorageException("S3 refused the upload: " + code + " " + e.errorResponse().message(),
                    FULL_CODES.contains(code) || e.response().code() == 507, e);
        } catch (UploadTooLargeException e) {
            throw new UploadRefusedException(e);
        } catch (Exception e) {
            UploadTooLargeException tooLarge = findCause(e, UploadTooLargeException.class);
            if (tooLarge != null) {
                throw new UploadRefusedException(tooLarge);
            }
            throw new StorageException("S3 at its endpoint did not take the upload: " + rootMessage(e), false, e);
        }
    }

    @Override
    public InputStream get(String key) throws StorageException {
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw new StorageException("cannot read " + key + ": " + rootMessage(e), false, e);
        }
    }

    @Override
    public boolean exists(String key) throws StorageException {
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || e.response().code() == 404) {
                return false;
            }
            throw new StorageException("cannot look up " + key + ": " + e.getMessage(), false, e);
        } catch (Exception e) {
            throw new StorageException("cannot look up " + key + ": " + rootMessage(e), false, e);
        }
    }

    @Override
    public void delete(String key) throws StorageException {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (Exception e) {
            throw new StorageException("cannot delete " + key + ": " + rootMessage(e), false, e);
        }
    }

    @Override
    public List<String> keysUnder(String prefix) throws StorageException {
        List<String> keys = new ArrayList<>();
        try {
            for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                keys.add(item.get().objectName());
            }
            return keys;
        } catch (Exception e) {
            throw new StorageException("cannot list " + prefix + ": " + rootMessage(e), false, e);
        }
    }

    private void ensureBucketExists() throws StorageException {
        if (bucketReady) {
            return;
        }
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                log.info("created bucket {}", bucket);
            }
            bucketReady = true;
        } catch (ErrorResponseException e) {
            if ("BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                bucketReady = true;
                return;
            }
            throw new StorageException("S3 refused bucket " + bucket + ": " + e.errorResponse().code(), false, e);
        } catch (Exception e) {
            throw new StorageException("S3 is unreachable: " + rootMessage(e), false, e);
        }
    }

    private static <T extends Throwable> T findCause(Throwable error, Class<T> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(error);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The upload itself was refused (too large); nothing reached the bucket. */
    public static final class UploadRefusedException extends RuntimeException {
        private final long limit;

        UploadRefusedException(UploadTooLargeException cause) {
            super(cause.getMessage(), cause);
            this.limit = cause.limit();
        }

        public long limit() {
            return limit;
        }
    }
}
