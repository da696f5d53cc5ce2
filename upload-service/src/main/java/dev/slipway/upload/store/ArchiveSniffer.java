package dev.slipway.upload.store;

import dev.slipway.events.ArchiveFormat;
import java.util.Optional;

/** Tells archive formats apart by their first bytes, never by file name or declared content type. */
public final class ArchiveSniffer {

    /** Enough bytes for every signature below (tar's magic sits at offset 257). */
    public static final int HEADER_BYTES = 512;

    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] ZIP_EMPTY = {'P', 'K', 5, 6};
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] BZIP2 = {'B', 'Z', 'h'};
    private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] TAR = {'u', 's', 't', 'a', 'r'};
    private static final int TAR_MAGIC_OFFSET = 257;

    private ArchiveSniffer() {
    }

    public static Optional<ArchiveFormat> detect(byte[] header, int length) {
        if (startsWith(header, length, 0, ZIP) || startsWith(header, length, 0, ZIP_EMPTY)) {
            return Optional.of(ArchiveFormat.ZIP);
        }
        if (startsWith(header, length, 0, GZIP)) {
            return Optional.of(ArchiveFormat.GZIP);
        }
        if (startsWith(header, length, 0, BZIP2)) {
            return Optional.of(ArchiveFormat.BZIP2);
        }
        if (startsWith(header, length, 0, XZ)) {
            return Optional.of(ArchiveFormat.XZ);
        }
        if (startsWith(header, length, TAR_MAGIC_OFFSET, TAR)) {
            return Optional.of(ArchiveFormat.TAR);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, int length, int offset, byte[] magic) {
        if (length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (data[offset + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
