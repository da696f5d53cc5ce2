package dev.slipway.staging.unpack;

import dev.slipway.events.ArchiveFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Reads tar, tar.gz, tar.bz2 and tar.xz into a {@link Tree}. Everything the decompressor hands out
 * is metered, and each {@code getNextEntry()} runs under the header budget: commons-compress 1.28
 * reads a GNU long name, a PAX extended header or a sparse map into memory whole, and has no limit of
 * its own (its archive builders and {@code setMaxEntryNameLength} arrive in 1.29, a PAX header size
 * limit later still), so the limit is enforced on the stream it reads from.
 */
final class TarReader {

    private static final int READ_BUFFER = 64 * 1024;
    /** xz -9 needs 65 MiB to decompress; a header asking for more wants the memory, not the archive. */
    static final int XZ_MEMORY_LIMIT_KIB = 96 * 1024;

    private final Tree tree;
    private final Budget budget;

    TarReader(Tree tree, Budget budget) {
        this.tree = tree;
        this.budget = budget;
    }

    void unpack(ArchiveFormat format, Path archive) throws IOException, UnsafeArchiveException {
        try (MeteredStream in = new MeteredStream(decompressed(format, archive), budget);
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = next(tar, in)) != null) {
                budget.entry();
                checkPaxHeaders(entry);
                unpack(entry, tar);
            }
        }
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar, MeteredStream in) throws IOException {
        // data nobody read (a link or folder with a size) is data, not the next header: pass it first
        if (tar.getCurrentEntry() != null) {
            while (tar.skip(Long.MAX_VALUE) > 0) {
                // skipping
            }
        }
        in.readingHeader();
        TarArchiveEntry entry = tar.getNextEntry();
        in.headerRead();
        return entry;
    }

    /**
     * Global PAX headers ({@code g}) outlive the header budget of the {@code getNextEntry()} that read
     * them: commons-compress keeps adding their keys to every later entry, so headers spread between
     * entries could pile up without end. Every entry carries all of them, so each entry's are capped.
     */
    private void checkPaxHeaders(TarArchiveEntry entry) throws UnsafeArchiveException {
        long size = 0;
        for (Map.Entry<String, String> header : entry.getExtraPaxHeaders().entrySet()) {
            size += header.getKey().length() + header.getValue().length();
        }
        if (size > budget.limits.maxHeaderBytes().toBytes()) {
            throw Refusals.paxHeadersTooLarge(entry.getName(), budget.limits.maxHeaderBytes());
        }
    }

    private void unpack(TarArchiveEntry entry, InputStream content) throws IOException, UnsafeArchiveException {
        String name = entry.getName();
        if (entry.isCharacterDevice()) {
            throw Refusals.specialFile(name, Refusals.CHARACTER_DEVICE);
        } else if (entry.isBlockDevice()) {
            throw Refusals.specialFile(name, Refusals.BLOCK_DEVICE);
        } else if (entry.isFIFO()) {
            throw Refusals.specialFile(name, Refusals.FIFO);
        } else if (entry.isDirectory()) {
            tree.directory(name);
        } else if (entry.isSymbolicLink()) {
            tree.link(name, entry.getLinkName());
        } else if (entry.isLink()) {
            tree.copy(name, entry.getLinkName());
        } else if (entry.isFile()) {
            // a sparse file's holes come out of the tar reader as zeros, not out of the decompressor:
            // metered once more (its data twice, which errs on the safe side)
            tree.file(name, entry.isSparse() ? new MeteredStream(content, budget) : content,
                    (entry.getMode() & 0100) != 0);
        } else {
            throw Refusals.specialFile(name, "a special file (tar type '" + (char) entry.getLinkFlag() + "')");
        }
    }

    private static InputStream decompressed(ArchiveFormat format, Path archive) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive), READ_BUFFER);
        try {
            return switch (format) {
                case TAR -> raw;
                case GZIP -> new GzipCompressorInputStream(raw, true);
                case BZIP2 -> new BZip2CompressorInputStream(raw, true);
                case XZ -> XZCompressorInputStream.builder().setInputStream(raw).setDecompressConcatenated(true)
                        .setMemoryLimitKiB(XZ_MEMORY_LIMIT_KIB).get();
                case ZIP -> throw new IllegalArgumentException("zip is read with random access");
            };
        } catch (IOException | RuntimeException e) {
            // a decompressor reads its header at once and may refuse it: the file is still ours to close
            raw.close();
            throw e;
        }
    }
}
