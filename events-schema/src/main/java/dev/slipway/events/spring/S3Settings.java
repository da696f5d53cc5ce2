package dev.slipway.events.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where source blobs live ({@code slipway.s3.*}): upload-service writes them, staging-service reads
 * them, both at {@code BlobKeys.of(app, blobUid)} in this bucket. Path-style requests.
 *
 * @param secretKey never logged
 */
@ConfigurationProperties("slipway.s3")
public record S3Settings(@DefaultValue("http://127.0.0.1:9000") String endpoint,
                         @DefaultValue("us-east-1") String region,
                         @DefaultValue("slipway") String accessKey,
                         @DefaultValue("slipway-secret") String secretKey,
                         @DefaultValue("slipway-blobs") String bucket) {

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + "]";
    }
}
