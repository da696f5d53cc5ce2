package dev.slipway.upload.store;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How source archives are taken in ({@code slipway.store.*}); where they go is {@code S3Settings}.
 *
 * @param partSize      multipart part size: memory per upload in flight is about one part (5 MiB..5 GiB)
 * @param maxUploadSize largest archive accepted; bigger uploads get 413
 * @param namespaceQuota  bytes of source one namespace may keep in the store; beyond it uploads get 507
 * @param namespaceQuotas quotas for particular namespaces, overriding {@code namespaceQuota}
 * @param keepBlobs       blobs kept per app after an upload; older ones are deleted, except the app's last
 *                        staged blob and those younger than {@code keepBlobsYoungerThan}
 * @param keepBlobsYoungerThan blobs this recent are never deleted by the keep-last rule: a push may be about
 *                        to stage them
 */
@ConfigurationProperties("slipway.store")
public record StoreProperties(@DefaultValue("16MB") DataSize partSize,
                              @DefaultValue("2GB") DataSize maxUploadSize,
                              @DefaultValue("20GB") DataSize namespaceQuota,
                              @DefaultValue Map<String, DataSize> namespaceQuotas,
                              @DefaultValue("5") int keepBlobs,
                              @DefaultValue("15m") Duration keepBlobsYoungerThan) {

    public StoreProperties {
        if (partSize.toBytes() < DataSize.ofMegabytes(5).toBytes()) {
            throw new IllegalArgumentException("slipway.store.part-size must be at least 5MB (S3's smallest part)");
        }
        if (keepBlobs < 1) {
            throw new IllegalArgumentException("slipway.store.keep-blobs must be 1 or more, got " + keepBlobs);
        }
        if (keepBlobsYoungerThan.isNegative()) {
            throw new IllegalArgumentException("slipway.store.keep-blobs-younger-than must not be negative");
        }
    }

    public long quotaOf(String namespace) {
        return namespaceQuotas.getOrDefault(namespace, namespaceQuota).toBytes();
    }

}
