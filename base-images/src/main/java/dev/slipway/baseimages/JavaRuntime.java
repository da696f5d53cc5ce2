package dev.slipway.baseimages;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Java runtime made with {@code jlink} from the JDK this runs on, holding only the modules asked
 * for. Making one takes tens of seconds, so each is made once per JDK version and module list and kept
 * in this user's cache folder.
 */
public final class JavaRuntime {

    /** Where images keep the runtime; {@code JAVA_HOME} there. */
    public static final String HOME = "/opt/java";

    /** The desktop's native libraries: their X11 libraries are not in the images, and a server never loads them. */
    private static final String DESKTOP_LIBRARIES =
            "lib(awt.*|fontmanager|jawt|splashscreen|lcms|javajpeg|mlib_image|jsound)\\.so";

    private JavaRuntime() {
    }

    /**
     * The runtime to put in an image: {@link #jlinked} from the JDK at {@code javaHome}, or, where that runtime
     * has no jlink (a JRE, such as a service image's own), that runtime as it is.
     */
    public static Path forImage(String modules, Path javaHome) throws IOException, InterruptedException {
        return Files.isExecutable(javaHome.resolve("bin").resolve("jlink")) ? jlinked(modules) : javaHome;
    }

    /** The runtime with {@code modules} (comma-separated), made now or kept from an earlier build. */
    public static Path jlinked(String modules) throws IOException, InterruptedException {
        Path kept = cache().resolve("jre-" + Runtime.version().toString().replaceAll("[^0-9A-Za-z.]", "_") + "-"
                + Integer.toHexString(modules.hashCode()));
        if (Files.isExecutable(kept.resolve("bin").resolve("java"))) {
            return kept;
        }
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException(jlink + " is missing: a Java base image needs a JDK (apt-get install "
                    + "openjdk-17-jdk-headless)");
        }
        Path folder = Files.createTempDirectory(kept.getParent(), "building-");
        Path building = folder.resolve("jre");
        try {
            Process process = new ProcessBuilder(jlink.toString(), "--add-modules", modules, "--strip-debug",
                    "--no-header-files", "--no-man-pages", "--compress=2", "--output", building.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("jlink failed: " + output);
            }
            // another build may have made the same runtime meanwhile: either copy will do
            Files.move(building, kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException madeMeanwhile) {
            // kept as it is
        } finally {
            deleteTree(folder);
        }
        return kept;
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Where made runtimes are kept: a folder of this user's only (0700, owned by them), not the shared
     * temporary folder, where anyone could plant a "runtime" of the expected name for the images to ship.
     */
    static Path cache() throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "slipway");
        Files.createDirectories(cache.getParent());
        if (!Files.isDirectory(cache)) {
            try {
                Files.createDirectory(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException madeMeanwhile) {
                // checked below like any other
            }
        }
        String owner = Files.getOwner(cache).getName();
        if (!owner.equals(System.getProperty("user.name"))
                || !Files.getPosixFilePermissions(cache).equals(PosixFilePermissions.fromString("rwx------"))) {
            throw new IllegalStateException(cache + " must be this user's alone (owner " + owner + ", mode "
                    + PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)) + "): it keeps the Java "
                    + "runtimes that go into images; remove it or run chmod 700 on it");
        }
        return cache;
    }

    /** The runtime's launcher and the native libraries a server may load, for {@link SharedLibraries}. */
    public static List<Path> serverBinaries(Path runtime) throws IOException {
        List<Path> binaries = new ArrayList<>();
        binaries.add(runtime.resolve("bin").resolve("java"));
        try (Stream<Path> files = Files.walk(runtime.resolve("lib"))) {
            files.filter(file -> file.getFileName().toString().endsWith(".so"))
                    .filter(file -> !file.getFileName().toString().matches(DESKTOP_LIBRARIES))
                    .forEach(binaries::add);
        }
        return binaries;
    }

    /** A layer named {@code java} with the runtime under {@link #HOME}. */
    public static FileEntriesLayer layer(Path runtime) throws IOException {
        FilePermissions executable = FilePermissions.fromOctalString("755");
        FilePermissions readable = FilePermissions.fromOctalString("644");
        return FileEntriesLayer.builder().setName("java")
                .addEntryRecursive(runtime, AbsoluteUnixPath.get(HOME), (source, inImage) ->
                        Files.isDirectory(source) || Files.isExecutable(source) ? executable : readable)
                .build();
    }
}
