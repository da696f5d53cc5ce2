package dev.slipway.events;

/** Source was stored in S3 under the blob uid; sha256 lets anyone check the stored bytes. */
public record BlobUploaded(String blobUid, AppRef app, String username, long sizeBytes, String sha256,
                           ArchiveFormat format) implements EventData {

    public BlobUploaded {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("username", username);
        Names.require("sha256", sha256);
        Names.require("format", format);
    }
}
