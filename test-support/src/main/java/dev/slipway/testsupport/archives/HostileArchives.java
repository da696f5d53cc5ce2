package dev.slipway.testsupport.archives;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * Archives that attack an unpacker, one method per kind found so far, as the bytes a push would
 * upload. Built by hand where commons-compress would refuse to write them (local and central names
 * that differ, entry counts that lie), and streamed where they are huge inside: a header of hundreds
 * of MB is written through gzip a chunk at a time and comes out at a few hundred KB.
 */
public final class HostileArchives {

    /** Files that are neither files, folders nor links, by their unix mode and (where tar has one) tar type. */
    public enum Special {
        FIFO('6', 0010644), CHARACTER_DEVICE('3', 0020644), BLOCK_DEVICE('4', 0060644), SOCKET('\0', 0140644);

        private final char tarType;
        private final int unixMode;

        Special(char tarType, int unixMode) {
            this.tarType = tarType;
            this.unixMode = unixMode;
        }
    }

    private HostileArchives() {
    }

    // tar headers that commons-compress reads into memory whole

    /** A .tgz whose one entry has a GNU long name ({@code ././@LongLink}) of {@code nameBytes}. */
    public static byte[] gnuLongName(long nameBytes) {
        return tgz(tar -> tar.header("././@LongLink", 'L', nameBytes + 1, 0644, "")
                .repeat((byte) 'a', nameBytes).bytes(new byte[1]).pad()
                .file("placeholder.txt", "x"));
    }

    /** A .tgz whose one entry has a PAX extended header of about {@code headerBytes}: one huge path record. */
    public static byte[] paxHeader(long headerBytes) {
        // a record is "<length> path=<value>\n", its length counting its own digits
        long fixed = " path=\n".length();
        long length = headerBytes;
        long value = length - fixed - String.valueOf(length).length();
        byte[] prefix = (length + " path=").getBytes(StandardCharsets.US_ASCII);
        return tgz(tar -> tar.header("PaxHeaders/placeholder.txt", 'x', length, 0644, "")
                .bytes(prefix).repeat((byte) 'a', value).bytes(new byte[] {'\n'}).pad()
                .file("placeholder.txt", "x"));
    }

    /** A .tgz whose one entry is an old GNU sparse file with {@code mapBytes} of extension headers. */
    public static byte[] oldGnuSparseMap(long mapBytes) {
        return tgz(tar -> {
            byte[] header = TarWriter.gnu(TarWriter.headerBlock("sparse.bin", 'S', 0, 0644, ""));
            header[TarWriter.SPARSE_EXTENDED_AT] = 1;
            tar.block(header);
            long blocks = Math.max(1, mapBytes / TarWriter.BLOCK);
            for (long i = 1; i <= blocks; i++) {
                byte[] extension = new byte[TarWriter.BLOCK];
                // each extension block says whether another follows
                extension[504] = (byte) (i < blocks ? 1 : 0);
                tar.bytes(extension);
            }
            tar.file("placeholder.txt", "x");
        });
    }

    /**
     * A .tgz of {@code entries} files, each after a global PAX header ({@code g}) of about
     * {@code headerBytes} under a key of its own: each header fits a header budget, together they
     * pile up, since a global header applies to every entry after it.
     */
    public static byte[] globalPaxHeaders(int entries, long headerBytes) {
        return tgz(tar -> {
            for (int i = 0; i < entries; i++) {
                String key = " custom.key" + i + "=";
                long value = headerBytes - key.length() - 1 - String.valueOf(headerBytes).length();
                tar.header("GlobalHead." + i, 'g', headerBytes, 0644, "")
                        .bytes((headerBytes + key).getBytes(StandardCharsets.US_ASCII)).repeat((byte) 'a', value)
                        .bytes(new byte[] {'\n'}).pad()
                        .file("file" + i + ".txt", "x");
            }
        });
    }

    /**
     * A .tgz of one old GNU sparse file: a hole of {@code holeBytes}, then one byte of data. Tiny in
     * the archive and out of the decompressor; the hole comes out of the tar reader as zeros.
     */
    public static byte[] sparseFileWithHole(long holeBytes) {
        return tgz(tar -> {
            byte[] header = TarWriter.gnu(TarWriter.headerBlock("sparse.bin", 'S', 1, 0644, ""));
            TarWriter.octal(header, 386, 12, holeBytes); // the one data region: where it starts
            TarWriter.octal(header, 398, 12, 1); // and how long it is
            TarWriter.octal(header, 483, 12, holeBytes + 1); // the file's real size
            tar.block(header).bytes(new byte[] {'x'}).pad();
        });
    }

    // links, each harmless on its own or as text

    /** {@code loop -> .}: a walker that follows links never ends. */
    public static byte[] folderLinkToItself() {
        return tgz(tar -> tar.file("index.html", "<h1>hi</h1>").symlink("loop", "."));
    }

    /** {@code x -> b/c/..} before {@code b/c -> ..}: each stays inside as text, {@code x} is the root's parent. */
    public static byte[] linkChainAboveRoot() {
        return tgz(tar -> tar.file("index.html", "<h1>hi</h1>").symlink("x", "b/c/..").folder("b")
                .symlink("b/c", ".."));
    }

    /**
     * {@code index.html -> b/l<depth>/<host file>} and links {@code b/l0 -> ..}, {@code b/l<i> -> l<i-1>/..}:
     * every target stays inside the folder as text, yet each link climbs one folder higher, so
     * {@code index.html} serves {@code hostFile} once {@code depth} reaches the filesystem's root.
     */
    public static byte[] linkChainToHostFile(String hostFile, int depth) {
        return tgz(tar -> {
            tar.symlink("index.html", "b/l" + depth + "/" + hostFile.replaceFirst("^/+", "")).folder("b")
                    .symlink("b/l0", "..");
            for (int i = 1; i <= depth; i++) {
                tar.symlink("b/l" + i, "l" + (i - 1) + "/..");
            }
        });
    }

    /** {@code index.html -> hostFile}, an absolute path on the host. */
    public static byte[] linkToHostFile(String hostFile) {
        return tgz(tar -> tar.symlink("index.html", hostFile));
    }

    /** {@code a -> b} and {@code b -> a}: resolving either never ends. */
    public static byte[] linkLoop() {
        return tgz(tar -> tar.file("index.html", "<h1>hi</h1>").symlink("a", "b").symlink("b", "a"));
    }

    /** {@code index.html -> missing.html}, which the archive does not hold. */
    public static byte[] danglingLink() {
        return tgz(tar -> tar.symlink("index.html", "missing.html"));
    }

    /** A tar.gz holding {@code special} (tar has no socket type) beside a file. */
    public static byte[] tarWith(Special special) {
        if (special.tarType == '\0') {
            throw new IllegalArgumentException("tar has no entry type for " + special);
        }
        return tgz(tar -> tar.file("index.html", "<h1>hi</h1>").header("dev/thing", special.tarType, 0,
                special.unixMode & 07777, ""));
    }

    // zip central directories and local headers

    /** A one-entry zip whose end record declares {@code declared} entries (at most 65,534). */
    public static byte[] zipDeclaringEntries(int declared) {
        return new ZipWriter().entry("index.html", ZipWriter.FILE, "<h1>hi</h1>").end(declared);
    }

    /** A one-entry zip whose Zip64 end record declares {@code declared} entries (16-bit count 0xFFFF). */
    public static byte[] zip64DeclaringEntries(long declared) {
        return new ZipWriter().entry("index.html", ZipWriter.FILE, "<h1>hi</h1>").endZip64(declared);
    }

    /** A zip of one entry whose central directory holds {@code records} records more, declaring {@code declared}. */
    public static byte[] zipWithUncountedRecords(int records, int declared) {
        return new ZipWriter().entry("index.html", ZipWriter.FILE, "<h1>hi</h1>").extraRecords(records).end(declared);
    }

    /** A zip of one entry, {@code centralName} in the central directory and {@code localName} in its local header. */
    public static byte[] zipWhoseLocalNameDiffers(String centralName, String localName) {
        return new ZipWriter().entry(centralName, localName, ZipWriter.FILE,
                "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)).end(1);
    }

    /** A zip holding {@code special}, by the unix mode in its external attributes, beside a file. */
    public static byte[] zipWith(Special special) {
        ZipWriter zip = new ZipWriter().entry("index.html", ZipWriter.FILE, "<h1>hi</h1>")
                .entry("dev/thing", special.unixMode, "");
        return zip.end(zip.entries());
    }

    /** A zip symlink whose target (its content) is {@code targetBytes} long, deflated to a few KB per 10 MB. */
    public static byte[] zipLinkWithLongTarget(long targetBytes) {
        return new ZipWriter().repeated("index.html", ZipWriter.LINK, (byte) 'a', targetBytes).end(1);
    }

    // decompressors

    /** The start of a .tar.xz whose block asks for a 1.5 GiB LZMA2 dictionary, allocated before any data is read. */
    public static byte[] xzNeedingMemory() {
        ByteBuffer xz = ByteBuffer.allocate(12 + 12 + 64).order(ByteOrder.LITTLE_ENDIAN);
        byte[] flags = {0, 1}; // CRC32 check
        xz.put(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}).put(flags).putInt((int) crc(flags, 0, 2));
        // block header: its size / 4 - 1, no flags, one filter: LZMA2 (0x21) with 1 property byte, 37 = 1.5 GiB
        byte[] block = {2, 0, 0x21, 1, 37, 0, 0, 0};
        xz.put(block).putInt((int) crc(block, 0, block.length));
        return xz.array();
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private interface TarContent {
        void write(TarWriter tar) throws IOException;
    }

    private static byte[] tgz(TarContent content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, 64 * 1024)) {
            TarWriter tar = new TarWriter(gzip);
            content.write(tar);
            tar.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
