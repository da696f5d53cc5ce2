package dev.slipway.staging.unpack;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Lists an unpacked app for the image builder without ever following a link (a walker that follows
 * them loops on {@code dir -> .} or leaves the folder), so the list is finite and inside the app
 * whatever is on disk. A link is listed as a file whose content is the target {@link Tree} resolved.
 */
final class SourceFiles {

    private SourceFiles() {
    }

    /**
     * @param app      the app's root
     * @param links    each symlink in the tree and the real file it resolves to
     * @param expected about how many entries there are, to size the list once
     * @return folders and files under {@code app}, sorted by path (a folder before its content), so
     *         the same archive always gives the same list and the same image layer
     */
    static List<SourceFile> walk(Path app, Map<Path, Path> links, int expected) throws IOException {
        List<SourceFile> files = new ArrayList<>(expected);
        // no FOLLOW_LINKS: a link is visited as a file, never entered
        Files.walkFileTree(app, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (!dir.equals(app)) {
                    files.add(new SourceFile(unixPath(app.relativize(dir)), dir, true, false));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Path content = file;
                if (attributes.isSymbolicLink()) {
                    content = links.get(file);
                    if (content == null) {
                        throw new IOException("link " + file + " was not unpacked from the archive");
                    }
                } else if (!attributes.isRegularFile()) {
                    throw new IOException(file + " is neither a file, a folder nor a link");
                }
                files.add(new SourceFile(unixPath(app.relativize(file)), content, false, Files.isExecutable(content)));
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(Comparator.comparing(SourceFile::path));
        return Collections.unmodifiableList(files);
    }

    /** A relative path with {@code /} between its names, whatever the platform's separator. */
    static String unixPath(Path relative) {
        StringBuilder unix = new StringBuilder();
        for (Path name : relative) {
            if (!unix.isEmpty()) {
                unix.append('/');
            }
            unix.append(name);
        }
        return unix.toString();
    }
}
