package dev.slipway.staging.unpack;

import dev.slipway.events.ArchiveFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tukaani.xz.MemoryLimitException;

/**
 * Unpacks zip, tar, tar.gz, tar.bz2 and tar.xz into a folder, refusing anything that would write
 * outside it, loop or exhaust the machine: paths that escape or are absolute, links that lead outside
 * or at folders or nowhere, writes through links, device files and pipes, too many entries or bytes,
 * a compression ratio of a bomb, oversized tar headers and zip central directories, zip entries whose
 * two names differ, and truncated or corrupt data. The format comes from the first bytes, never the
 * name. A single top-level folder is lifted: its content becomes the app's root.
 *
 * <p>Nothing is written outside the target: every path is checked before it is written, and symlinks
 * are created only after every file and folder is, then judged on the real filesystem.
 */
public final class ArchiveUnpacker {

    private final UnpackLimits limits;

    public ArchiveUnpacker(UnpackLimits limits) {
        this.limits = limits;
    }

    /**
     * What was unpacked.
     *
     * @param root    the app's root folder (a single top-level folder lifted)
     * @param entries files, folders and links in the archive
     * @param bytes   bytes decompressed (tar headers included) plus those of links' copies and targets
     * @param format  the format, as sniffed
     * @param files   every folder and file under {@code root}, links as files with their target's
     *                content, sorted by path; walked without following links, so it is finite
     */
    public record Unpacked(Path root, int entries, long bytes, ArchiveFormat format, List<SourceFile> files) {
    }

    public Unpacked unpack(Path archive, Path target) throws UnsafeArchiveException, IOException {
        Files.createDirectories(target);
        Path root = target.toRealPath();
        ArchiveFormat format = detect(archive);
        Budget budget = new Budget(limits, Files.size(archive));
        Tree tree = new Tree(root, budget);
        Map<Path, Path> links;
        try {
            if (format == ArchiveFormat.ZIP) {
                new ZipReader(tree, budget).unpack(archive);
            } else {
                new TarReader(tree, budget).unpack(format, archive);
            }
            links = tree.finishLinks();
        } catch (IOException e) {
            throw refusal(format, e);
        }
        Path app = lift(root);
        return new Unpacked(app, budget.entries(), budget.bytes(), format,
                SourceFiles.walk(app, links, budget.entries()));
    }

    /** An I/O failure while reading is the archive's fault: our own refusal, or a corrupt archive. */
    private static UnsafeArchiveException refusal(ArchiveFormat format, IOException e) {
        UnsafeArchiveException ours = LimitExceeded.findIn(e);
        if (ours != null) {
            return ours;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MemoryLimitException xz) {
                return Refusals.decoderMemory(xz.getMemoryNeeded(), xz.getMemoryLimit());
            }
        }
        return Refusals.corrupt(format.wireName(), e);
    }

    private static ArchiveFormat detect(Path archive) throws IOException, UnsafeArchiveException {
        byte[] header = new byte[ArchiveFormat.HEADER_BYTES];
        int read;
        try (InputStream in = Files.newInputStream(archive)) {
            read = in.readNBytes(header, 0, header.length);
        }
        return ArchiveFormat.sniff(header, read).orElseThrow(Refusals::unknownFormat);
    }

    /** One top-level folder and nothing else: its content is the app. */
    private static Path lift(Path root) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            List<Path> top = children.limit(2).toList();
            if (top.size() == 1 && Files.isDirectory(top.get(0), LinkOption.NOFOLLOW_LINKS)) {
                return top.get(0);
            }
        }
        return root;
    }
}
