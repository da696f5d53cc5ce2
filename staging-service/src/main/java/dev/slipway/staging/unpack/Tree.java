package dev.slipway.staging.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The folder an archive is unpacked into, and the only code that writes to it. Every entry's path is
 * checked to stay inside the root before anything is written. Symlinks are only declared while
 * entries are written, so no write can ever pass through one; {@link #finishLinks()} creates them
 * last and keeps them only if the real filesystem resolves each to a file inside the root.
 */
final class Tree {

    private static final int COPY_BUFFER = 64 * 1024;

    private final Path root;
    private final Budget budget;
    // per unpack, not per file: 10,000 small files should not mean 10,000 buffers and folder checks
    private final byte[] buffer = new byte[COPY_BUFFER];
    /** Deeper than any real source tree; deeper walks would also need an open file per level. */
    static final int MAX_DEPTH = 128;

    private final Set<Path> madeFolders = new HashSet<>();
    /** Declared symlinks, in archive order: where, and the target as the archive wrote it. */
    private final Map<Path, String> links = new LinkedHashMap<>();

    /** {@code root} must be a real path (no links in it), so that resolved links can be compared to it. */
    Tree(Path root, Budget budget) {
        this.root = root;
        this.budget = budget;
    }

    void directory(String name) throws IOException, UnsafeArchiveException {
        folder(path(name), name);
    }

    void file(String name, InputStream content, boolean executable) throws IOException, UnsafeArchiveException {
        Path path = path(name);
        write(content, path, name);
        if (executable) {
            path.toFile().setExecutable(true, false);
        }
    }

    /** A tar hard link becomes a copy: nothing outside can ever share the file's inode. */
    void copy(String name, String source) throws IOException, UnsafeArchiveException {
        // a declared symlink is not on disk yet, so it is no file to copy either
        Path from = inside(source);
        if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
            throw Refusals.hardLinkToNothing(name, source);
        }
        Path path = path(name);
        // the copy's bytes count like decompressed ones: a thousand links to one big file is a bomb
        try (InputStream in = new MeteredStream(Files.newInputStream(from, LinkOption.NOFOLLOW_LINKS), budget)) {
            write(in, path, name);
        }
        if (Files.isExecutable(from)) {
            path.toFile().setExecutable(true, false);
        }
    }

    /** Remembers a symlink; it is created, with every other, by {@link #finishLinks()}. */
    void link(String name, String target) throws IOException, UnsafeArchiveException {
        Path path = path(name);
        if (target == null || target.isEmpty()) {
            throw Refusals.danglingLink(name, String.valueOf(target));
        }
        checkLength("link target", target);
        if (isAbsolute(target)) {
            throw Refusals.linkOutside(name, target);
        }
        // the cheap check on the text first; the real one is on the filesystem, once all links exist
        Path lexical;
        try {
            lexical = path.getParent().resolve(target).normalize();
        } catch (InvalidPathException invalid) {
            throw Refusals.danglingLink(name, target);
        }
        if (!lexical.startsWith(root)) {
            throw Refusals.linkOutside(name, target);
        }
        if (links.containsKey(path) || Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw Refusals.repeatedPath(name);
        }
        // parents now, so a later entry cannot declare a link where this one's folder is
        folder(path.getParent(), name);
        links.put(path, target);
    }

    /**
     * Creates the declared symlinks, then resolves each on the real filesystem, so that chains of
     * links that each look harmless are judged by where they really lead. A link must end at a
     * regular file inside the root: not outside, not at a folder (a walker that follows links would
     * loop or leave), not at nothing, not in a loop. Each target's size counts against the budget,
     * since the image holds the target's bytes once per link. On a refusal every link is removed
     * again, so a caller that ignores the refusal cannot follow one.
     *
     * @return each link's path and the real file it resolves to
     */
    Map<Path, Path> finishLinks() throws IOException, UnsafeArchiveException {
        List<Path> created = new ArrayList<>(links.size());
        try {
            for (Map.Entry<Path, String> link : links.entrySet()) {
                try {
                    Files.createSymbolicLink(link.getKey(), Path.of(link.getValue()));
                } catch (FileAlreadyExistsException taken) {
                    // only where names differ in case alone, on a filesystem that ignores case
                    throw Refusals.repeatedPath(unixName(link.getKey()));
                }
                created.add(link.getKey());
            }
            Map<Path, Path> resolved = new HashMap<>(links.size() * 2);
            for (Map.Entry<Path, String> link : links.entrySet()) {
                Path real = resolve(link.getKey(), link.getValue());
                budget.bytes(Files.size(real));
                resolved.put(link.getKey(), real);
            }
            return resolved;
        } catch (UnsafeArchiveException | IOException | RuntimeException refused) {
            for (Path link : created) {
                Files.deleteIfExists(link);
            }
            throw refused;
        }
    }

    private Path resolve(Path link, String target) throws IOException, UnsafeArchiveException {
        String name = unixName(link);
        Path real;
        try {
            real = link.toRealPath();
        } catch (NoSuchFileException dangling) {
            throw Refusals.danglingLink(name, target);
        } catch (FileSystemException unresolvable) {
            // ELOOP: a loop, or more links in a row than the kernel follows (40 on Linux); else e.g.
            // ENOTDIR, a path through a file, which points at nothing as surely as a missing file
            if (String.valueOf(unresolvable.getReason()).contains("levels of symbolic links")) {
                throw Refusals.loopingLink(name, target);
            }
            throw Refusals.danglingLink(name, target);
        }
        if (!real.startsWith(root)) {
            throw Refusals.linkResolvesOutside(name, target);
        }
        if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw Refusals.linkToFolder(name, target);
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw Refusals.danglingLink(name, target);
        }
        return real;
    }

    /** The entry's path, if it is free: inside the root, not through a declared link, not one itself. */
    private Path path(String name) throws UnsafeArchiveException {
        Path path = inside(name);
        if (links.containsKey(path)) {
            throw Refusals.repeatedPath(name);
        }
        return path;
    }

    /** The entry's path, if it stays inside the root and does not pass through a declared link. */
    private Path inside(String name) throws UnsafeArchiveException {
        if (name.isEmpty()) {
            throw Refusals.invalidPath(name);
        }
        checkLength("entry", name);
        if (isAbsolute(name)) {
            throw Refusals.absolutePath(name);
        }
        Path path;
        try {
            path = root.resolve(name).normalize();
        } catch (InvalidPathException invalid) {
            throw Refusals.invalidPath(name);
        }
        if (!path.startsWith(root)) {
            throw Refusals.escapingPath(name);
        }
        if (root.relativize(path).getNameCount() > MAX_DEPTH) {
            throw Refusals.tooDeep(name, MAX_DEPTH);
        }
        for (Path parent = path.getParent(); parent != null && parent.startsWith(root); parent = parent.getParent()) {
            if (links.containsKey(parent)) {
                throw Refusals.writtenThroughLink(name, unixName(parent));
            }
        }
        return path;
    }

    private void write(InputStream in, Path path, String name) throws IOException, UnsafeArchiveException {
        folder(path.getParent(), name);
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (FileAlreadyExistsException duplicate) {
            throw Refusals.repeatedPath(name);
        }
    }

    private void folder(Path folder, String name) throws IOException, UnsafeArchiveException {
        if (!madeFolders.contains(folder)) {
            // every folder counts, listed by the archive or made on the way to an entry: one entry with
            // a deep path must not create thousands of folders for free
            for (Path made = folder; made != null && !made.equals(root) && made.startsWith(root)
                    && !madeFolders.contains(made); made = made.getParent()) {
                budget.folder();
            }
            try {
                Files.createDirectories(folder);
            } catch (FileAlreadyExistsException file) {
                // a file where the entry needs a folder: the same path twice, as file and as folder
                throw Refusals.repeatedPath(name);
            }
            for (Path made = folder; made != null && made.startsWith(root) && madeFolders.add(made);
                    made = made.getParent()) {
                // remembered up to the root, so each folder is counted once
            }
        }
    }

    private void checkLength(String what, String name) throws UnsafeArchiveException {
        int max = budget.limits.maxNameLength();
        // a char is at most 3 UTF-8 bytes: only long names are worth encoding
        if (name.length() * 3L > max && name.getBytes(StandardCharsets.UTF_8).length > max) {
            throw Refusals.nameTooLong(what, name, max);
        }
    }

    private String unixName(Path path) {
        return SourceFiles.unixPath(root.relativize(path));
    }

    /** Unix and Windows absolute paths ({@code C:} too): never meant to land inside the app. */
    private static boolean isAbsolute(String name) {
        if (name.startsWith("/") || name.startsWith("\\")) {
            return true;
        }
        char drive = (char) (name.isEmpty() ? 0 : name.charAt(0) | 0x20);
        return name.length() >= 2 && name.charAt(1) == ':' && drive >= 'a' && drive <= 'z';
    }
}
