package dev.slipway.testsupport.archives;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes tar blocks by hand, for archives that commons-compress will not write or would have to hold
 * in memory: headers of any size and type, and content streamed from one repeated byte.
 */
final class TarWriter {

    static final int BLOCK = 512;
    static final int SPARSE_EXTENDED_AT = 482;
    private static final int CHUNK = 64 * 1024;

    private final OutputStream out;
    private long written;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** A ustar header of {@code type}, saying {@code size} bytes of content follow. */
    TarWriter header(String name, char type, long size, int mode, String linkName) throws IOException {
        return block(headerBlock(name, type, size, mode, linkName));
    }

    /** A header block to change before writing: e.g. the sparse fields of an old GNU sparse header. */
    static byte[] headerBlock(String name, char type, long size, int mode, String linkName) {
        byte[] header = new byte[BLOCK];
        put(header, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, 1_700_000_000L);
        header[156] = (byte) type;
        put(header, 157, 100, linkName.getBytes(StandardCharsets.UTF_8));
        put(header, 257, 8, "ustar\00000".getBytes(StandardCharsets.US_ASCII));
        return header;
    }

    /** {@code header} as old GNU tar writes it: only then are its sparse fields read. */
    static byte[] gnu(byte[] header) {
        put(header, 257, 8, "ustar  \0".getBytes(StandardCharsets.US_ASCII));
        return header;
    }

    /** Writes {@code block} with its checksum filled in. */
    TarWriter block(byte[] block) throws IOException {
        Arrays.fill(block, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        octal(block, 148, 7, sum);
        out.write(block);
        written += BLOCK;
        return this;
    }

    /** {@code length} copies of {@code b}, streamed: never more than a chunk in memory. */
    TarWriter repeat(byte b, long length) throws IOException {
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, length))];
        Arrays.fill(chunk, b);
        for (long left = length; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        written += length;
        return this;
    }

    TarWriter bytes(byte[] content) throws IOException {
        out.write(content);
        written += content.length;
        return this;
    }

    /** Zeros up to the next block boundary. */
    TarWriter pad() throws IOException {
        int rest = (int) (written % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
            written += BLOCK - rest;
        }
        return this;
    }

    /** A regular file with text content. */
    TarWriter file(String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return header(name, '0', bytes.length, 0644, "").bytes(bytes).pad();
    }

    TarWriter folder(String name) throws IOException {
        return header(name.endsWith("/") ? name : name + "/", '5', 0, 0755, "");
    }

    TarWriter symlink(String name, String target) throws IOException {
        return header(name, '2', 0, 0777, target);
    }

    /** The two zero blocks that end an archive. */
    void end() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
        put(header, offset, length, padded.getBytes(StandardCharsets.US_ASCII));
        header[offset + length - 1] = 0;
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        if (value.length > length) {
            throw new IllegalArgumentException("a tar field of " + length + " bytes cannot hold " + value.length);
        }
        System.arraycopy(value, 0, header, offset, value.length);
    }
}
