package dev.slipway.staging.worker;

import dev.slipway.events.AppRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each app's build cache: {@code <work-dir>/build-cache/<namespace>/<app>}, what its builds keep between
 * pushes (dependency downloads, compiled layers). Made with the app's first build, emptied before a
 * build that asks for no cache and after a build that left it larger than {@code maxBytes} (the next
 * build fills it again), removed with the app.
 */
public final class BuildCaches {

    private static final Logger log = LoggerFactory.getLogger(BuildCaches.class);
    /** The folder under the work folder that holds every app's cache. */
    public static final String FOLDER = "build-cache";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final Path root;
    private final long maxBytes;

    public BuildCaches(Path workRoot, long maxBytes) {
        this.root = workRoot.resolve(FOLDER).toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    /** The app's cache folder, which may not exist yet; never outside the caches' root. */
    public Path folderOf(AppRef app) {
        // names are checked where they enter the platform; checked again as they become a path
        if (!DNS_LABEL.matcher(app.namespace()).matches() || !DNS_LABEL.matcher(app.name()).matches()) {
            throw new IllegalArgumentException("no build cache for " + app + ": not DNS labels");
        }
        Path folder = root.resolve(app.namespace()).resolve(app.name()).normalize();
        if (!folder.getParent().getParent().equals(root)) {
            throw new IllegalArgumentException("no build cache for " + app + ": outside " + root);
        }
        return folder;
    }

    /** The app's cache folder, made if missing, emptied first when the build asks for no cache. */
    public Path prepare(AppRef app, boolean noCache) throws IOException {
        Path folder = folderOf(app);
        if (noCache) {
            Folders.deleteQuietly(folder);
        }
        return Files.createDirectories(folder);
    }

    /** After a build: a cache grown past the bound is emptied, so one app cannot fill the disk over time. */
    public void trim(AppRef app) {
        Path folder = folderOf(app);
        long bytes = sizeOf(folder);
        if (bytes > maxBytes) {
            log.info("the build cache of {} holds {} bytes, more than {}: emptied, the next build fills it again",
                    app, bytes, maxBytes);
            Folders.deleteQuietly(folder);
        }
    }

    /** A deleted app's cache goes with it. */
    public void remove(AppRef app) {
        Folders.deleteQuietly(folderOf(app));
    }

    /** Bytes of the regular files below {@code folder}, links not followed. */
    static long sizeOf(Path folder) {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] total = {0};
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        total[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total[0];
    }
}
