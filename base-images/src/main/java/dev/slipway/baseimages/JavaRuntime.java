package dev.slipway.baseimages;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Java runtime made with {@code jlink} from the JDK this runs on, holding only the modules asked
 * for. Making one takes tens of seconds, so each is made once per JDK version and module list and kept
 * under the temporary folder.
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
        Path kept = Path.of(System.getProperty("java.io.tmpdir"), "slipway-jre-" + Runtime.version().toString().replaceAll("[^0-9A-Za-z.]", "_") + "-"
                + Integer.toHexString(modules.hashCode()));
        if (Files.isExecutable(kept.resolve("bin").resolve("java"))) {
            return kept;
        }
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException(jlink + " is missing: a Java base image needs a JDK (apt-get install "
                    + "openjdk-17-jdk-headless)");
        }
        Path building = Files.createTempDirectory("slipway-jre").resolve("jre");
        Process process = new ProcessBuilder(jlink.toString(), "--add-modules", modules, "--strip-debug",
                "--no-header-files", "--no-man-pages", "--compress=2", "--output", building.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("jlink failed: " + output);
        }
        try {
            // another build may have made the same runtime meanwhile: either copy will do
            Files.move(building, kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException madeMeanwhile) {
            return kept;
        }
        return kept;
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
