package dev.slipway.deploy.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A release's values for one Helm call. They hold the app's decrypted env, and Helm (in this process,
 * through helm-java) reads values only from files: so the file lives in a folder of its own that only
 * this user can enter (0700), is readable only by this user (0600), sits on a memory file system where
 * the machine has one, and goes with its folder as soon as the Helm call ends, failed or not.
 */
final class PrivateValuesFile implements AutoCloseable {

    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    private final Path folder;
    private final Path file;

    private PrivateValuesFile(Path folder, Path file) {
        this.folder = folder;
        this.file = file;
    }

    /** Where values folders go: {@code configured} if set, else memory ({@code /dev/shm}) if writable, else the temp folder. */
    static Path root(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        if (Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)) {
            return SHARED_MEMORY;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    static PrivateValuesFile write(Path root, String json) {
        Path folder = null;
        try {
            folder = Files.createTempDirectory(Files.createDirectories(root), "slipway-values-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = Files.createFile(folder.resolve("values.json"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, json);
            return new PrivateValuesFile(folder, file);
        } catch (IOException e) {
            delete(folder);
            throw new UncheckedIOException("cannot write the release values", e);
        }
    }

    Path path() {
        return file;
    }

    @Override
    public void close() {
        delete(folder);
    }

    private static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try {
            Files.deleteIfExists(folder.resolve("values.json"));
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the release values at " + folder, e);
        }
    }
}
