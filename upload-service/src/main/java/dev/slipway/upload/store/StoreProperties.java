package dev.slipway.upload.store;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where and how source archives are stored ({@code slipway.store.*}).
 *
 * @param endpoint      S3 API endpoint, e.g. {@code http://127.0.0.1:9000}
 * @param region        region for request signing
 * @param accessKey     S3 access key
 * @param secretKey     S3 secret key (never logged)
 * @param bucket        bucket for source blobs, created on start when missing
 * @param partSize      multipart part size: memory per upload in flight is about one part (5 MiB..5 GiB)
 * @param maxUploadSize largest archive accepted; bigger uploads get 413
 * @param namespaceQuota  bytes of source one namespace may keep in the store; beyond it uploads get 507
 * @param namespaceQuotas quotas for particular namespaces, overriding {@code namespaceQuota}
 */
@ConfigurationProperties("slipway.store")
public record StoreProperties(@DefaultValue("http://127.0.0.1:9000") String endpoint,
                              @DefaultValue("us-east-1") String region,
                              @DefaultValue("slipway") String accessKey,
                              @DefaultValue("slipway-secret") String secretKey,
                              @DefaultValue("slipway-blobs") String bucket,
                              @DefaultValue("16MB") DataSize partSize,
                              @DefaultValue("2GB") DataSize maxUploadSize,
                              @DefaultValue("20GB") DataSize namespaceQuota,
                              @DefaultValue Map<String, DataSize> namespaceQuotas) {

    public StoreProperties {
        if (partSize.toBytes() < DataSize.ofMegabytes(5).toBytes()) {
            throw new IllegalArgumentException("slipway.store.part-size must be at least 5MB (S3's smallest part)");
        }
    }

    public long quotaOf(String namespace) {
        return namespaceQuotas.getOrDefault(namespace, namespaceQuota).toBytes();
    }

    @Override
    public String toString() {
        return "StoreProperties[endpoint=" + endpoint + ", bucket=" + bucket + ", partSize=" + partSize
                + ", maxUploadSize=" + maxUploadSize + "]";
    }
}
