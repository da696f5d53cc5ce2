package dev.slipway.staging.fetch;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Streams a blob from S3 to a file, never holding it in memory. A store that does not answer is
 * tried again with back-off; a blob that does not exist fails at once.
 */
public class BlobFetcher implements BlobStore {

    private final MinioClient client;
    private final String bucket;
    private final Retry retry;

    public BlobFetcher(MinioClient client, String bucket, int attempts, Duration firstWait) {
        this.client = client;
        this.bucket = bucket;
        this.retry = Retry.of("blob-store", RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(firstWait, 2))
                .retryOnException(error -> !(error instanceof ErrorResponseException))
                .build());
    }

    @Override
    public long fetch(String key, Path file) throws StageFailure {
        try {
            return retry.executeCallable(() -> {
                try (InputStream blob = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                    return Files.copy(blob, file, StandardCopyOption.REPLACE_EXISTING);
                }
            });
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("NoSuchKey".equals(code) || "NoSuchBucket".equals(code)) {
                throw new StageFailure(ReasonCodes.BLOB_NOT_FOUND, "the source blob " + key
                        + " is not in the store (its app was deleted, or it was older than the blobs the store keeps "
                        + "per app, slipway.store.keep-blobs); push the source again", false, e);
            }
            throw new StageFailure(ReasonCodes.STORAGE_UNAVAILABLE, "the store refused " + key + ": " + code, true, e);
        } catch (Exception e) {
            throw new StageFailure(ReasonCodes.STORAGE_UNAVAILABLE, "the store did not answer for " + key + " ("
                    + e.getMessage() + "); replay the push once it is back", true, e);
        }
    }
}
