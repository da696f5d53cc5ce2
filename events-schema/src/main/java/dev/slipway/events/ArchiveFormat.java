package dev.slipway.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * Source archive formats, told apart by their first bytes, never by file name or declared type:
 * the upload checks them on the way in, staging again before unpacking.
 */
public enum ArchiveFormat {
    ZIP, TAR, GZIP, BZIP2, XZ;

    /** Enough leading bytes for every signature (tar's magic sits at offset 257). */
    public static final int HEADER_BYTES = 512;

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final byte[] ZIP_EMPTY_MAGIC = {'P', 'K', 5, 6};
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] BZIP2_MAGIC = {'B', 'Z', 'h'};
    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] TAR_MAGIC = {'u', 's', 't', 'a', 'r'};
    private static final int TAR_MAGIC_OFFSET = 257;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The format whose signature {@code header} (its first {@code length} bytes) starts with. */
    public static Optional<ArchiveFormat> sniff(byte[] header, int length) {
        if (matches(header, length, 0, ZIP_MAGIC) || matches(header, length, 0, ZIP_EMPTY_MAGIC)) {
            return Optional.of(ZIP);
        }
        if (matches(header, length, 0, GZIP_MAGIC)) {
            return Optional.of(GZIP);
        }
        if (matches(header, length, 0, BZIP2_MAGIC)) {
            return Optional.of(BZIP2);
        }
        if (matches(header, length, 0, XZ_MAGIC)) {
            return Optional.of(XZ);
        }
        if (matches(header, length, TAR_MAGIC_OFFSET, TAR_MAGIC)) {
            return Optional.of(TAR);
        }
        return Optional.empty();
    }

    private static boolean matches(byte[] data, int length, int offset, byte[] magic) {
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
