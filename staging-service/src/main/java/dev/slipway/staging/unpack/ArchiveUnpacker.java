package dev.slipway.staging.unpack;

import dev.slipway.events.ArchiveFormat;
import dev.slipway.events.ReasonCodes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks zip, tar, tar.gz, tar.bz2 and tar.xz into a folder, refusing anything that would write
 * outside it or exhaust the machine: paths that escape or are absolute, links that point outside,
 * writes through links, device files and pipes, too many entries or bytes, a compression ratio of
 * a bomb, and truncated or corrupt data. The format comes from the first bytes, never the name.
 * A single top-level folder is lifted: its content becomes the app's root.
 */
public final class ArchiveUnpacker {

    private static final int COPY_BUFFER = 64 * 1024;

    private final UnpackLimits limits;

    public ArchiveUnpacker(UnpackLimits limits) {
        this.limits = limits;
    }

    /** What was unpacked: the app's root folder (lifted), entry and byte counts, the format. */
    public record Unpacked(Path root, int entries, long bytes, ArchiveFormat format) {
    }

    public Unpacked unpack(Path archive, Path target) throws UnsafeArchiveException, IOException {
        Files.createDirectories(target);
        Path root = target.toRealPath();
        ArchiveFormat format = detect(archive);
        Budget budget = new Budget(Files.size(archive));
        try {
            if (format == ArchiveFormat.ZIP) {
                unzip(archive, root, budget);
            } else {
                untar(decompressed(format, archive), root, budget);
            }
        } catch (UnsafeArchiveException | IOException e) {
            if (e instanceof UnsafeArchiveException) {
                throw e;
            }
            throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_CORRUPT, "the " + format.wireName()
                    + " archive is truncated or corrupt: " + e.getMessage() + "; build it again and push again", e);
        }
        return new Unpacked(lift(root), budget.entries, budget.bytes, format);
    }

    private static ArchiveFormat detect(Path archive) throws IOException, UnsafeArchiveException {
        byte[] header = new byte[ArchiveFormat.HEADER_BYTES];
        int read;
        try (InputStream in = Files.newInputStream(archive)) {
            read = in.readNBytes(header, 0, header.length);
        }
        return ArchiveFormat.sniff(header, read).orElseThrow(() -> new UnsafeArchiveException(
                ReasonCodes.ARCHIVE_FORMAT_UNKNOWN, "the source is not a zip, tar, tar.gz, tar.bz2 or tar.xz archive"));
    }

    private static InputStream decompressed(ArchiveFormat format, Path archive) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive), COPY_BUFFER);
        return switch (format) {
            case TAR -> raw;
            case GZIP -> new GzipCompressorInputStream(raw, true);
            case BZIP2 -> new BZip2CompressorInputStream(raw, true);
            case XZ -> new XZCompressorInputStream(raw, true);
            case ZIP -> throw new IllegalArgumentException("zip is read with random access");
        };
    }

    private void untar(InputStream decompressed, Path root, Budget budget)
            throws IOException, UnsafeArchiveException {
        Set<Path> links = new HashSet<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                budget.entry();
                Path path = inside(root, entry.getName(), links);
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_SPECIAL_FILE, "entry '" + entry.getName()
                            + "' is a device or pipe; source archives hold files, folders and links");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    symlink(root, path, entry.getLinkName(), entry.getName(), links);
                } else if (entry.isLink()) {
                    Path source = inside(root, entry.getLinkName(), links);
                    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                        throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_LINK, "hard link '"
                                + entry.getName() + "' points at '" + entry.getLinkName()
                                + "', which is not a file unpacked before it");
                    }
                    // a copy, not a link: nothing outside can ever share the file's inode
                    try (InputStream in = Files.newInputStream(source)) {
                        write(in, path, budget);
                    }
                } else if (entry.isFile()) {
                    write(tar, path, budget);
                    if ((entry.getMode() & 0100) != 0) {
                        path.toFile().setExecutable(true, false);
                    }
                } else {
                    throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_SPECIAL_FILE, "entry '" + entry.getName()
                            + "' is a device, pipe or other special file; source archives hold files, folders and links");
                }
            }
        }
    }

    private void unzip(Path archive, Path root, Budget budget) throws IOException, UnsafeArchiveException {
        Set<Path> links = new HashSet<>();
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            for (ZipArchiveEntry entry : java.util.Collections.list(zip.getEntries())) {
                budget.entry();
                Path path = inside(root, entry.getName(), links);
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isUnixSymlink()) {
                    symlink(root, path, zip.getUnixSymlink(entry), entry.getName(), links);
                } else {
                    try (InputStream in = zip.getInputStream(entry)) {
                        write(in, path, budget);
                    }
                    if ((entry.getUnixMode() & 0100) != 0) {
                        path.toFile().setExecutable(true, false);
                    }
                }
            }
        }
    }

    /** The entry's path, if it stays inside the root and does not pass through a link from the archive. */
    private static Path inside(Path root, String name, Set<Path> links) throws UnsafeArchiveException {
        if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
            throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_PATH, "entry '" + name
                    + "' has an absolute path; archive the app folder with relative paths");
        }
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_PATH, "entry '" + name
                    + "' escapes the source folder; rebuild the archive from inside the app folder");
        }
        for (Path parent = path.getParent(); parent != null && parent.startsWith(root); parent = parent.getParent()) {
            if (links.contains(parent)) {
                throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_LINK, "entry '" + name
                        + "' would be written through the link '" + root.relativize(parent) + "'");
            }
        }
        return path;
    }

    private static void symlink(Path root, Path path, String target, String name, Set<Path> links)
            throws IOException, UnsafeArchiveException {
        if (target == null || target.isEmpty() || target.startsWith("/")
                || !path.getParent().resolve(target).normalize().startsWith(root)) {
            throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_LINK, "link '" + name + "' points at '"
                    + target + "', outside the source folder");
        }
        Files.createDirectories(path.getParent());
        Files.createSymbolicLink(path, Path.of(target));
        links.add(path);
    }

    private void write(InputStream in, Path path, Budget budget) throws IOException, UnsafeArchiveException {
        if (budget.madeFolders.add(path.getParent())) {
            Files.createDirectories(path.getParent());
        }
        byte[] buffer = budget.buffer;
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                budget.bytes(n);
                out.write(buffer, 0, n);
            }
        } catch (FileAlreadyExistsException duplicate) {
            throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_UNSAFE_PATH, "entry '" + path.getFileName()
                    + "' appears twice or would overwrite a link; archives must not repeat a path");
        }
    }

    /** One top-level folder and nothing else: its content is the app. */
    private static Path lift(Path root) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            List<Path> top = children.toList();
            if (top.size() == 1 && Files.isDirectory(top.get(0), LinkOption.NOFOLLOW_LINKS)) {
                return top.get(0);
            }
        }
        return root;
    }

    /** Counts entries and written bytes against the limits as they happen. */
    private final class Budget {
        // per unpack, not per file: 10,000 small files should not mean 10,000 buffers and folder checks
        final byte[] buffer = new byte[COPY_BUFFER];
        final Set<Path> madeFolders = new HashSet<>();
        private final long archiveBytes;
        private int entries;
        private long bytes;

        Budget(long archiveBytes) {
            this.archiveBytes = Math.max(1, archiveBytes);
        }

        void entry() throws UnsafeArchiveException {
            if (++entries > limits.maxEntries()) {
                throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the archive has more than "
                        + limits.maxEntries() + " entries");
            }
        }

        void bytes(long written) throws UnsafeArchiveException {
            bytes += written;
            if (bytes > limits.maxBytes().toBytes()) {
                throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the archive unpacks to more than "
                        + limits.maxBytes().toMegabytes() + " MB");
            }
            if (bytes > limits.ratioFloor().toBytes() && bytes / archiveBytes > limits.maxCompressionRatio()) {
                throw new UnsafeArchiveException(ReasonCodes.ARCHIVE_TOO_LARGE, "the archive unpacks to more than "
                        + limits.maxCompressionRatio() + " times its size, like a zip bomb");
            }
        }
    }
}
