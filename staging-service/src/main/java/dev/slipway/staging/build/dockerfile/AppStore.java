package dev.slipway.staging.build.dockerfile;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An app's podman store ({@code <app cache>/podman}: its layer cache), held by one Dockerfile build at a
 * time, with run state of this stage's own. The store is a private folder reached through no link (a
 * link put there would send root's podman anywhere on the host); a build of the same app in another
 * stage waits for the lock, so leftovers can be cleared without touching another build's containers.
 * The run state (locks, mount counts) lives in a fresh folder only this user may enter, created with
 * a random name, never a predictable one in a world-writable folder; podman takes at most 50
 * characters there.
 */
final class AppStore implements AutoCloseable {

    /** podman refuses a run root longer than this. */
    static final int RUN_ROOT_MAX = 50;
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path store;
    private final Path runRoot;
    private final FileChannel lockFile;
    private final FileLock lock;

    private AppStore(Path store, Path runRoot, FileChannel lockFile, FileLock lock) {
        this.store = store;
        this.runRoot = runRoot;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Opens {@code store} for one build, waiting until {@code deadline} for another build of the app to end. */
    static AppStore open(Path store, Path workerFolder, Instant deadline) throws IOException, StageFailure,
            InterruptedException {
        Path folder = privateFolder(store);
        privateFolder(folder.resolve("root"));
        FileChannel channel = FileChannel.open(folder.resolve("build.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            FileLock held = channel.tryLock();
            while (held == null) {
                if (Instant.now().isAfter(deadline)) {
                    throw new StageFailure(ReasonCodes.STAGE_TIMEOUT, "another build of this app held its layer "
                            + "cache until the build's deadline; push again once it has ended", true);
                }
                Thread.sleep(200);
                held = channel.tryLock();
            }
            // podman's container database remembers the run folder it was made with, and each stage has
            // its own: builds keep nothing there (their containers are the store's), so it is made anew
            Files.deleteIfExists(folder.resolve("root").resolve("libpod").resolve("bolt_state.db"));
            return new AppStore(folder, runRoot(workerFolder), channel, held);
        } catch (IOException | StageFailure | InterruptedException | RuntimeException failed) {
            channel.close();
            throw failed;
        }
    }

    /** podman's global options for this store and this stage's run state. */
    List<String> args() {
        // no private mount of the store on itself: a failed build would leave it mounted, and the folder
        // could not be removed with its stage
        return List.of("--root", store.resolve("root").toString(), "--runroot", runRoot.toString(),
                "--tmpdir", runRoot.resolve("libpod").toString(), "--storage-opt", "overlay.skip_mount_home=true");
    }

    Path runRoot() {
        return runRoot;
    }

    /** The run state goes (podman makes it again, as after a reboot), then the lock. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> paths = Files.walk(runRoot)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // run state left behind harms nothing: its name is random and no later build uses it
        } finally {
            try {
                lock.release();
            } finally {
                lockFile.close();
            }
        }
    }

    /** A folder of this user's alone, reached through no link: made so, or refused. */
    static Path privateFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        if (Files.isSymbolicLink(folder) || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(folder + " is a link or no folder; the build's store may only be a folder");
        }
        if (!Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
            throw new IOException(folder + " belongs to another user; remove it and push again");
        }
        Files.setPosixFilePermissions(folder, PRIVATE);
        return folder;
    }

    /**
     * A new run folder of this stage's own: in the worker's own folder when that path is short enough
     * for podman, else in {@code /run} (root's alone) or the system's temporary folder, always created
     * here with a random name and mode 0700 and checked to be ours.
     */
    static Path runRoot(Path workerFolder) throws IOException {
        for (Path base : List.of(workerFolder.resolve("run"), Path.of("/run/slipway-staging"), Path.of("/tmp"))) {
            if (base.toString().length() + 1 + "slipway-r-".length() + 16 > RUN_ROOT_MAX) {
                continue;
            }
            Optional<Path> made = newFolderIn(base);
            if (made.isPresent()) {
                return made.get();
            }
        }
        throw new IOException("no folder for podman's run state: the worker's folder " + workerFolder
                + " is too long for podman, and neither /run nor /tmp could take one");
    }

    private static Optional<Path> newFolderIn(Path base) {
        try {
            if (!base.equals(Path.of("/tmp"))) {
                privateFolder(base);
            }
            for (int attempt = 0; attempt < 10; attempt++) {
                byte[] name = new byte[8];
                RANDOM.nextBytes(name);
                Path folder = base.resolve("slipway-r-" + HexFormat.of().formatHex(name));
                try {
                    // created with its mode in one step: no moment when another user could enter it
                    Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PRIVATE));
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
                if (!Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                        || !Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS).equals(PRIVATE)) {
                    return Optional.empty();
                }
                return Optional.of(folder);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException unusable) {
            return Optional.empty();
        }
    }
}
