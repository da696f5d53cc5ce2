package dev.slipway.cli.push;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A pushed folder as a tar.gz: every file but {@code .git} and what {@code .slipwayignore} names,
 * with executable bits and symbolic links kept (the server decides whether a link is safe).
 */
public final class SourceArchive {

    public record Written(Path file, int files, long bytes) {
    }

    private SourceArchive() {
    }

    public static Written of(Path folder, Path target) throws IOException {
        IgnoreRules ignore = IgnoreRules.of(folder);
        int[] files = {0};
        try (OutputStream file = Files.newOutputStream(target);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                    if (dir.equals(folder)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String name = relative(folder, dir);
                    if (dir.getFileName().toString().equals(".git") || ignore.ignores(name, true)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    tar.putArchiveEntry(new TarArchiveEntry(name + "/"));
                    tar.closeArchiveEntry();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) throws IOException {
                    String name = relative(folder, path);
                    if (ignore.ignores(name, false)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attributes.isSymbolicLink()) {
                        TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        link.setLinkName(Files.readSymbolicLink(path).toString());
                        tar.putArchiveEntry(link);
                        tar.closeArchiveEntry();
                    } else if (attributes.isRegularFile()) {
                        TarArchiveEntry entry = new TarArchiveEntry(path.toFile(), name);
                        entry.setMode(executable(path) ? 0100755 : 0100644);
                        tar.putArchiveEntry(entry);
                        Files.copy(path, tar);
                        tar.closeArchiveEntry();
                        files[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            tar.finish();
        }
        return new Written(target, files[0], Files.size(target));
    }

    private static String relative(Path folder, Path path) {
        return folder.relativize(path).toString().replace('\\', '/');
    }

    private static boolean executable(Path path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (IOException | UnsupportedOperationException unknown) {
            return Files.isExecutable(path);
        }
    }
}
