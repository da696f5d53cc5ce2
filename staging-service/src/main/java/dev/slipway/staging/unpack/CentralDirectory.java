package dev.slipway.staging.unpack;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.zip.ZipException;

/**
 * A zip's central directory, sized up before commons-compress' {@code ZipFile} parses all of it into
 * memory (one object per entry, before anyone can count them). Reads the end of central directory
 * record (and the Zip64 one when a Zip64 locator precedes it, as {@code ZipFile} does), refuses a
 * declared entry count above {@code maxEntries} and a directory size no such count can need, then
 * walks the records from where {@code ZipFile} will start, with constant memory, because the count
 * may lie: {@code ZipFile} reads records for as long as their signature follows.
 */
final class CentralDirectory {

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int END_LENGTH = 22;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_LOCATOR_LENGTH = 20;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_END_LENGTH = 56;
    private static final int RECORD_SIGNATURE = 0x02014b50;
    private static final int RECORD_LENGTH = 46;
    private static final int MAX_FIELD = 0xFFFF;
    private static final int EXTRA_AND_COMMENT = 1024;

    private CentralDirectory() {
    }

    /** What the end record says: how many entries, how many bytes, where the first record is. */
    record End(long entries, long size, long start) {
    }

    static void check(FileChannel zip, UnpackLimits limits) throws IOException, UnsafeArchiveException {
        End end = end(zip);
        // unsigned: a Zip64 count can be anything up to 2^64 - 1
        if (Long.compareUnsigned(end.entries(), limits.maxEntries()) > 0) {
            throw Refusals.zipDeclaresTooManyEntries(end.entries(), limits.maxEntries());
        }
        // ZipFile keeps every name, extra field and comment in memory, so the directory must be about
        // as large as its names: a record is 46 bytes, a name (at most our limit), and extra fields and
        // a comment that take dozens of bytes in real zips (allowed 1 KiB), not the 128 KiB they could
        long largestRecord = RECORD_LENGTH + Math.min(MAX_FIELD, limits.maxNameLength()) + EXTRA_AND_COMMENT;
        if (Long.compareUnsigned(end.size(), end.entries() * largestRecord) > 0) {
            throw Refusals.zipDirectoryTooLarge(end.size(), end.entries());
        }
        walk(zip, end.start(), limits.maxEntries());
    }

    static End end(FileChannel zip) throws IOException {
        long size = zip.size();
        if (size < END_LENGTH) {
            throw new ZipException("the file is too short to be a zip");
        }
        int tailLength = (int) Math.min(size, END_LENGTH + MAX_COMMENT);
        ByteBuffer tail = read(zip, size - tailLength, tailLength);
        // the last signature that leaves room for a record, searched from the end like ZipFile does
        int at = tailLength - END_LENGTH;
        while (at >= 0 && tail.getInt(at) != END_SIGNATURE) {
            at--;
        }
        if (at < 0) {
            throw new ZipException("the zip has no end of central directory record");
        }
        long endRecord = size - tailLength + at;
        if (endRecord >= ZIP64_LOCATOR_LENGTH) {
            ByteBuffer locator = read(zip, endRecord - ZIP64_LOCATOR_LENGTH, ZIP64_LOCATOR_LENGTH);
            if (locator.getInt(0) == ZIP64_LOCATOR_SIGNATURE) {
                return zip64End(zip, locator.getLong(8));
            }
        }
        long entries = tail.getShort(at + 10) & 0xFFFFL;
        long directorySize = tail.getInt(at + 12) & 0xFFFFFFFFL;
        long directoryOffset = tail.getInt(at + 16) & 0xFFFFFFFFL;
        // bytes before the first entry (a self-extracting stub) shift every offset; ZipFile allows for them
        long prefix = Math.max(0, endRecord - directorySize - directoryOffset);
        return new End(entries, directorySize, directoryOffset + prefix);
    }

    private static End zip64End(FileChannel zip, long at) throws IOException {
        if (at < 0 || at > zip.size() - ZIP64_END_LENGTH) {
            throw new ZipException("the zip's Zip64 locator points outside the file");
        }
        ByteBuffer record = read(zip, at, ZIP64_END_LENGTH);
        if (record.getInt(0) != ZIP64_END_SIGNATURE) {
            throw new ZipException("the zip's Zip64 locator points at no Zip64 end record");
        }
        return new End(record.getLong(32), record.getLong(40), record.getLong(48));
    }

    /** Counts the records {@code ZipFile} would parse, stopping past {@code maxEntries}. */
    private static void walk(FileChannel zip, long start, int maxEntries) throws IOException, UnsafeArchiveException {
        if (start < 0 || start >= zip.size()) {
            throw new ZipException("the zip's central directory starts outside the file");
        }
        // not closed: closing it would close the channel, which the caller owns
        InputStream records = new BufferedInputStream(Channels.newInputStream(zip.position(start)), 64 * 1024);
        byte[] fixed = new byte[RECORD_LENGTH];
        ByteBuffer record = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
        int count = 0;
        while (records.readNBytes(fixed, 0, RECORD_LENGTH) == RECORD_LENGTH
                && record.getInt(0) == RECORD_SIGNATURE) {
            if (++count > maxEntries) {
                throw Refusals.tooManyEntries(maxEntries);
            }
            int variable = (record.getShort(28) & MAX_FIELD) + (record.getShort(30) & MAX_FIELD)
                    + (record.getShort(32) & MAX_FIELD);
            try {
                records.skipNBytes(variable);
            } catch (EOFException truncated) {
                return; // ZipFile reports the truncation itself
            }
        }
    }

    static ByteBuffer read(FileChannel zip, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(zip, buffer, at);
        return buffer;
    }

    static void readFully(FileChannel zip, ByteBuffer buffer, long at) throws IOException {
        long position = at;
        while (buffer.hasRemaining()) {
            int n = zip.read(buffer, position);
            if (n < 0) {
                throw new EOFException("the zip ends inside a header at offset " + at);
            }
            position += n;
        }
        buffer.flip();
    }
}
