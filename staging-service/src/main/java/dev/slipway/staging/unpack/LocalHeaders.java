package dev.slipway.staging.unpack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/**
 * Holds each zip entry's local file header to its central directory record. A zip names every entry
 * twice; {@code ZipFile} goes by the central directory, streaming readers and other tools by the
 * local header, so an archive whose two names differ is a different archive to each of them, and
 * one of the two may well escape. Refused, naming both.
 */
final class LocalHeaders {

    private static final int SIGNATURE = 0x04034b50;
    private static final int LENGTH = 30;
    private static final int NAME_LENGTH_AT = 26;

    private final FileChannel zip;
    // one pair per unpack: names are at most 64 KiB
    private final ByteBuffer header = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer name = ByteBuffer.allocate(0xFFFF);

    LocalHeaders(FileChannel zip) {
        this.zip = zip;
    }

    void checkName(ZipArchiveEntry entry) throws IOException, UnsafeArchiveException {
        long at = entry.getLocalHeaderOffset();
        header.clear();
        CentralDirectory.readFully(zip, header, at);
        if (header.getInt(0) != SIGNATURE) {
            throw new ZipException("entry '" + Refusals.shown(entry.getName())
                    + "' has no local header where the central directory says");
        }
        name.clear().limit(header.getShort(NAME_LENGTH_AT) & 0xFFFF);
        CentralDirectory.readFully(zip, name, at + LENGTH);
        byte[] central = entry.getRawName() != null ? entry.getRawName()
                : entry.getName().getBytes(StandardCharsets.UTF_8);
        if (!name.equals(ByteBuffer.wrap(central))) {
            byte[] local = new byte[name.remaining()];
            name.get(local);
            throw Refusals.zipNamesDiffer(entry.getName(), new String(local, StandardCharsets.UTF_8));
        }
    }
}
