package dev.slipway.staging.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Reads a zip into a {@link Tree}: the central directory is sized up first ({@link CentralDirectory}),
 * each entry's local name must match its central one ({@link LocalHeaders}), unix modes of pipes,
 * devices and sockets are refused, and every decompressed byte is metered.
 */
final class ZipReader {

    /**
     * What every zip tool writes. The rest is refused rather than read: XZ and Zstandard inside a zip
     * would be decompressed without a memory limit, and the old methods serve no source archive.
     */
    private static final Set<Integer> METHODS = Set.of(ZipMethod.STORED.getCode(), ZipMethod.DEFLATED.getCode(),
            ZipMethod.ENHANCED_DEFLATED.getCode(), ZipMethod.BZIP2.getCode());

    // the file type bits of a unix mode (st_mode & S_IFMT)
    private static final int TYPE = 0170000;
    private static final int FIFO = 0010000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int FOLDER = 0040000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int FILE = 0100000;
    private static final int LINK = 0120000;
    private static final int SOCKET = 0140000;

    private final Tree tree;
    private final Budget budget;

    ZipReader(Tree tree, Budget budget) {
        this.tree = tree;
        this.budget = budget;
    }

    void unpack(Path archive) throws IOException, UnsafeArchiveException {
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.READ)) {
            CentralDirectory.check(channel, budget.limits);
            LocalHeaders local = new LocalHeaders(channel);
            try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
                for (Enumeration<ZipArchiveEntry> entries = zip.getEntries(); entries.hasMoreElements(); ) {
                    ZipArchiveEntry entry = entries.nextElement();
                    budget.entry();
                    local.checkName(entry);
                    unpack(zip, entry);
                }
            }
        }
    }

    private void unpack(ZipFile zip, ZipArchiveEntry entry) throws IOException, UnsafeArchiveException {
        String name = entry.getName();
        String special = special(entry.getUnixMode());
        if (special != null) {
            throw Refusals.specialFile(name, special);
        }
        if (entry.isDirectory()) {
            tree.directory(name);
            return;
        }
        if (!METHODS.contains(entry.getMethod()) || !zip.canReadEntryData(entry)) {
            throw Refusals.zipMethod(name, entry.getMethod());
        }
        try (InputStream content = new MeteredStream(zip.getInputStream(entry), budget)) {
            if (entry.isUnixSymlink()) {
                tree.link(name, linkTarget(name, content));
            } else {
                tree.file(name, content, (entry.getUnixMode() & 0100) != 0);
            }
        }
    }

    /** A link's target is its content; read no more of it than a name may be (ZipFile would read it all). */
    private String linkTarget(String name, InputStream content) throws IOException, UnsafeArchiveException {
        int max = budget.limits.maxNameLength();
        byte[] target = content.readNBytes(max + 1);
        if (target.length > max) {
            throw Refusals.nameTooLong("the target of link '" + Refusals.shown(name) + "'",
                    new String(target, StandardCharsets.UTF_8), max);
        }
        return new String(target, StandardCharsets.UTF_8);
    }

    /** What a message calls the entry's unix file type, if it is neither a file, a folder nor a link. */
    private static String special(int unixMode) {
        return switch (unixMode & TYPE) {
            case 0, FILE, FOLDER, LINK -> null;
            case FIFO -> Refusals.FIFO;
            case CHARACTER_DEVICE -> Refusals.CHARACTER_DEVICE;
            case BLOCK_DEVICE -> Refusals.BLOCK_DEVICE;
            case SOCKET -> Refusals.SOCKET;
            default -> "a special file (unix mode 0" + Integer.toOctalString(unixMode) + ")";
        };
    }
}
