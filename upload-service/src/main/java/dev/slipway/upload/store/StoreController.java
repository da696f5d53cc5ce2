package dev.slipway.upload.store;

import dev.slipway.events.AppRef;
import dev.slipway.events.ArchiveFormat;
import dev.slipway.events.BlobKeys;
import dev.slipway.events.BlobUploaded;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.auth.Caller;
import dev.slipway.upload.eventlog.PushRequests;
import dev.slipway.upload.store.BlobStore.StorageException;
import dev.slipway.upload.store.S3BlobStore.UploadRefusedException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST .../applications/{app}/store}: streams the multipart field {@code file} straight to
 * S3, checking its format by magic bytes and its size on the way, and answers the blob uid.
 * Spring's own multipart handling is off for this service: it would spool the whole file first.
 */
@RestController
class StoreController {

    private static final int STREAM_BUFFER = 64 * 1024;

    private final BlobStore blobStore;
    private final StoreProperties properties;
    private final PushRequests pushRequests;
    private final AppAccess access;
    private final BlobLedger ledger;
    private final BlobLifecycle lifecycle;

    StoreController(BlobStore blobStore, StoreProperties properties, PushRequests pushRequests, AppAccess access,
                    BlobLedger ledger, BlobLifecycle lifecycle) {
        this.blobStore = blobStore;
        this.properties = properties;
        this.pushRequests = pushRequests;
        this.access = access;
        this.ledger = ledger;
        this.lifecycle = lifecycle;
    }

    record StoreResponse(String blobuid) {
    }

    @PostMapping("/api/v1/namespaces/{namespace}/applications/{app}/store")
    StoreResponse store(@PathVariable String namespace, @PathVariable("app") String appName, HttpServletRequest request,
                        Caller caller) throws IOException {
        AppRef app = access.existing(caller, namespace, appName).ref();
        if (!JakartaServletFileUpload.isMultipartContent(request)) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported media type",
                    "send the archive as multipart/form-data in the field 'file'");
        }
        try {
            FileItemInputIterator items = new JakartaServletFileUpload<>().getItemIterator(request);
            while (items.hasNext()) {
                FileItemInput item = items.next();
                if (!item.isFormField() && "file".equals(item.getFieldName())) {
                    return new StoreResponse(store(app, caller.username(), item.getInputStream()));
                }
            }
        } catch (FileUploadException e) {
            throw ApiException.badRequest("the multipart body could not be read: " + e.getMessage());
        }
        throw ApiException.badRequest("the multipart body has no field 'file'; send the archive in it");
    }

    private String store(AppRef app, String username, InputStream upload) throws IOException {
        long quota = properties.quotaOf(app.namespace());
        if (ledger.usedBy(app.namespace()) >= quota) {
            throw namespaceFull(app, quota);
        }
        String blobUid = UUID.randomUUID().toString();
        SizeLimitedInputStream limited = new SizeLimitedInputStream(upload, properties.maxUploadSize().toBytes());
        BufferedInputStream buffered = new BufferedInputStream(limited, STREAM_BUFFER);
        ArchiveFormat format = sniff(buffered);
        MessageDigest sha256 = sha256();
        try (DigestInputStream digesting = new DigestInputStream(buffered, sha256)) {
            blobStore.put(BlobKeys.of(app, blobUid), digesting, Map.of("namespace", app.namespace(),
                    "app", app.name(), "username", username, "format", format.wireName()));
        } catch (UploadRefusedException tooLarge) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "upload too large", "the archive is larger than "
                    + properties.maxUploadSize().toMegabytes() + " MB; trim it with a .slipwayignore file");
        } catch (StorageException e) {
            throw e.full()
                    ? new ApiException(HttpStatus.INSUFFICIENT_STORAGE, "storage full",
                            "the blob store has no room for this upload; ask an operator to free space", e)
                    : new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "storage unavailable",
                            "the blob store cannot be reached, nothing was stored; try again shortly ("
                                    + e.getMessage() + ")", e);
        }
        if (ledger.usedBy(app.namespace()) + limited.count() > quota) {
            // the size is known only at the end: take the blob back out rather than go over
            deleteQuietly(BlobKeys.of(app, blobUid));
            throw namespaceFull(app, quota);
        }
        try {
            ledger.record(new StoredBlob(app.namespace(), app.name(), blobUid, limited.count(), Instant.now()));
        } catch (RuntimeException e) {
            // a blob the ledger does not know would escape the quota and the lifecycle: take it back out
            deleteQuietly(BlobKeys.of(app, blobUid));
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "blob ledger unavailable",
                    "the blob could not be recorded, nothing was stored; try again shortly (" + e.getMessage() + ")",
                    e);
        }
        pushRequests.recordUpload(new BlobUploaded(blobUid, app, username, limited.count(),
                HexFormat.of().formatHex(sha256.digest()), format));
        lifecycle.pruneOlderBlobs(app);
        return blobUid;
    }

    private void deleteQuietly(String key) {
        try {
            blobStore.delete(key);
        } catch (StorageException e) {
            org.slf4j.LoggerFactory.getLogger(StoreController.class).warn("could not remove {}: {}", key,
                    e.getMessage());
        }
    }

    private static ApiException namespaceFull(AppRef app, long quota) {
        return new ApiException(HttpStatus.INSUFFICIENT_STORAGE, "namespace storage full",
                "namespace " + app.namespace() + " has used its " + quota / (1024 * 1024) + " MiB of source storage; "
                        + "delete old apps or ask an operator to raise slipway.store.namespace-quotas."
                        + app.namespace());
    }

    private static ArchiveFormat sniff(BufferedInputStream upload) throws IOException {
        upload.mark(ArchiveFormat.HEADER_BYTES);
        byte[] header = upload.readNBytes(ArchiveFormat.HEADER_BYTES);
        upload.reset();
        return ArchiveFormat.sniff(header, header.length).orElseThrow(() -> new ApiException(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "not an archive",
                "the upload is not a zip, tar, tar.gz, tar.bz2 or tar.xz archive (checked by its first bytes)"));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
