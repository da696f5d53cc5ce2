package dev.slipway.staging.unpack;

/**
 * Counts one unpack's entries and bytes against the limits as they happen. Bytes are what came out
 * of the decompressor (tar headers included) plus the copies made for links, so a bomb is stopped
 * while it inflates, whatever its headers claim.
 */
final class Budget {

    final UnpackLimits limits;
    private final long archiveBytes;
    private int entries;
    private int folders;
    private long bytes;

    Budget(UnpackLimits limits, long archiveBytes) {
        this.limits = limits;
        this.archiveBytes = Math.max(1, archiveBytes);
    }

    void entry() throws UnsafeArchiveException {
        if (++entries > limits.maxEntries()) {
            throw Refusals.tooManyEntries(limits.maxEntries());
        }
    }

    /** A folder made on disk, listed or implied by a path; as many as entries may be made. */
    void folder() throws UnsafeArchiveException {
        if (++folders > limits.maxEntries()) {
            throw Refusals.tooManyFolders(limits.maxEntries());
        }
    }

    void bytes(long more) throws UnsafeArchiveException {
        bytes += more;
        if (bytes > limits.maxBytes().toBytes()) {
            throw Refusals.tooManyBytes(limits.maxBytes());
        }
        if (bytes > limits.ratioFloor().toBytes() && bytes / archiveBytes > limits.maxCompressionRatio()) {
            throw Refusals.bomb(limits.maxCompressionRatio());
        }
    }

    int entries() {
        return entries;
    }

    long bytes() {
        return bytes;
    }
}
