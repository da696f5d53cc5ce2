package dev.slipway.staging.worker;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removing what a stage left, however it is shaped: depth first, holding no list of its paths. */
final class Folders {

    private static final Logger log = LoggerFactory.getLogger(Folders.class);

    private Folders() {
    }

    /** Removes {@code folder} and all below it, never following links; says why it could not. */
    static void deleteQuietly(Path folder) {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException e) {
            log.warn("could not remove {}: {}", folder, e.getMessage());
        }
    }

    /**
     * Whether {@code path} is named {@code <prefix><pid>...} after a process that no longer runs: what
     * a killed service left, as opposed to what a live one beside it (sharing the folder) still uses.
     */
    static boolean leftByDeadProcess(Path path, String prefix) {
        String name = path.getFileName().toString();
        if (!name.startsWith(prefix)) {
            return false;
        }
        String rest = name.substring(prefix.length());
        int end = rest.indexOf('-') < 0 ? (rest.indexOf('.') < 0 ? rest.length() : rest.indexOf('.'))
                : rest.indexOf('-');
        try {
            long pid = Long.parseLong(rest.substring(0, end));
            return ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
        } catch (NumberFormatException notOurs) {
            return false;
        }
    }

    /** Removes every entry of {@code folder} that {@code leftOver} accepts: what a stopped service left. */
    static void sweep(Path folder, Predicate<Path> leftOver) {
        try (var entries = Files.list(folder)) {
            entries.filter(leftOver).forEach(Folders::deleteQuietly);
        } catch (IOException | RuntimeException e) {
            log.warn("could not sweep {}: {}", folder, e.getMessage());
        }
    }
}
