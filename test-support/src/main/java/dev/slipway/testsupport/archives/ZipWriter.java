package dev.slipway.testsupport.archives;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes zip structures by hand, so every field can say what a hostile archive wants it to say: a
 * local name other than the central one, a unix mode of a pipe or device, an entry count that lies,
 * a central directory of any number of records.
 */
final class ZipWriter {

    static final int FILE = 0100644;
    static final int LINK = 0120777;
    private static final int UNIX = 3 << 8;
    private static final int VERSION = 20;
    private static final int UTF8_NAMES = 1 << 11;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream central = new ByteArrayOutputStream();
    private int entries;

    /** A stored entry named {@code centralName} in the central directory and {@code localName} in its local header. */
    ZipWriter entry(String centralName, String localName, int unixMode, byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return entry(centralName, localName, unixMode, STORED, crc.getValue(), content.length, content);
    }

    ZipWriter entry(String name, int unixMode, String content) {
        return entry(name, name, unixMode, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A deflated entry of {@code size} copies of {@code b}, compressed as it is made (a few KB per 10 MB). */
    ZipWriter repeated(String name, int unixMode, byte b, long size) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, b);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, deflater)) {
            for (long left = size; left > 0; left -= chunk.length) {
                int n = (int) Math.min(chunk.length, left);
                crc.update(chunk, 0, n);
                deflate.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return entry(name, name, unixMode, DEFLATED, crc.getValue(), size, compressed.toByteArray());
    }

    /** {@code count} more central directory records for the entry at offset 0, with no data of their own. */
    ZipWriter extraRecords(int count) {
        for (int i = 0; i < count; i++) {
            centralRecord("x", FILE, STORED, 0, 0, 0, 0);
        }
        return this;
    }

    /** The central directory and an end record declaring {@code declaredEntries} (its 16-bit field). */
    byte[] end(int declaredEntries) {
        long directoryStart = out.size();
        out.writeBytes(central.toByteArray());
        out.writeBytes(endRecord(declaredEntries, central.size(), directoryStart));
        return out.toByteArray();
    }

    /** The end records as for more than 65,534 entries: Zip64 ones declaring {@code declaredEntries}. */
    byte[] endZip64(long declaredEntries) {
        long directoryStart = out.size();
        out.writeBytes(central.toByteArray());
        long zip64End = out.size();
        out.writeBytes(le(56).putInt(0x06064b50).putLong(44).putShort((short) (UNIX | 45)).putShort((short) 45)
                .putInt(0).putInt(0).putLong(declaredEntries).putLong(declaredEntries).putLong(central.size())
                .putLong(directoryStart).array());
        out.writeBytes(le(20).putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1).array());
        out.writeBytes(endRecord(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL));
        return out.toByteArray();
    }

    int entries() {
        return entries;
    }

    private ZipWriter entry(String centralName, String localName, int unixMode, int method, long crc, long size,
                            byte[] data) {
        long offset = out.size();
        byte[] local = localName.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(le(30 + local.length).putInt(0x04034b50).putShort((short) VERSION)
                .putShort((short) UTF8_NAMES).putShort((short) method).putInt(0).putInt((int) crc)
                .putInt(data.length).putInt((int) size).putShort((short) local.length).putShort((short) 0)
                .put(local).array());
        out.writeBytes(data);
        centralRecord(centralName, unixMode, method, crc, data.length, size, offset);
        return this;
    }

    private void centralRecord(String name, int unixMode, int method, long crc, long compressed, long size,
                               long offset) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        central.writeBytes(le(46 + bytes.length).putInt(0x02014b50).putShort((short) (UNIX | VERSION))
                .putShort((short) VERSION).putShort((short) UTF8_NAMES).putShort((short) method).putInt(0)
                .putInt((int) crc).putInt((int) compressed).putInt((int) size).putShort((short) bytes.length)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putInt(unixMode << 16).putInt((int) offset).put(bytes).array());
        entries++;
    }

    private static byte[] endRecord(int declaredEntries, long directorySize, long directoryStart) {
        return le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) declaredEntries)
                .putShort((short) declaredEntries).putInt((int) directorySize).putInt((int) directoryStart)
                .putShort((short) 0).array();
    }

    private static ByteBuffer le(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }
}
