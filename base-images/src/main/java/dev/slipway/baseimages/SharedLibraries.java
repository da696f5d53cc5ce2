package dev.slipway.baseimages;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The shared libraries (glibc and friends) that native programs link, as {@code ldd} resolves them on
 * this machine, so that an image made of a few Debian files runs them without a distribution inside.
 */
public final class SharedLibraries {

    /** glibc's dynamic loaders (x86_64, aarch64). */
    public static final List<Path> LOADERS = List.of(Path.of("/lib64/ld-linux-x86-64.so.2"),
            Path.of("/lib/ld-linux-aarch64.so.1"));

    private SharedLibraries() {
    }

    /** Every library {@code binaries} link, by its path here, leaving out those under {@code ownFolder}. */
    public static SortedSet<String> linkedBy(Collection<Path> binaries, Path ownFolder)
            throws IOException, InterruptedException {
        return linkedBy(binaries, ownFolder, lister());
    }

    /** The same, listed by {@code lister} (a command that takes the binary last, see {@link #lister}). */
    public static SortedSet<String> linkedBy(Collection<Path> binaries, Path ownFolder, List<String> lister)
            throws IOException, InterruptedException {
        SortedSet<String> libraries = new TreeSet<>();
        for (Path binary : binaries) {
            List<String> command = new ArrayList<>(lister);
            command.add(binary.toString());
            Process ldd = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(ldd.getInputStream().readAllBytes());
            ldd.waitFor();
            // lines read "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)" or "/lib64/ld-linux... (0x...)"
            for (String line : output.split("\n")) {
                String resolved = line.contains("=>") ? line.substring(line.indexOf("=>") + 2) : line;
                String path = resolved.trim().split("\\s+")[0];
                if (path.startsWith("/") && (ownFolder == null || !path.startsWith(ownFolder.toString()))) {
                    libraries.add(path);
                }
            }
        }
        return libraries;
    }

    /** The command that lists a binary's libraries here: {@code ldd} on the PATH, else glibc's loader. */
    public static List<String> lister() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return lister(Arrays.stream(path.split(File.pathSeparator)).filter(folder -> !folder.isBlank())
                .map(Path::of).toList(), LOADERS);
    }

    /**
     * {@code ldd} when one is in {@code path}, else the first of {@code loaders} that exists as
     * {@code <loader> --list}, which is what ldd runs (a service image has the loader but no ldd).
     */
    public static List<String> lister(List<Path> path, List<Path> loaders) {
        for (Path folder : path) {
            if (Files.isExecutable(folder.resolve("ldd"))) {
                return List.of(folder.resolve("ldd").toString());
            }
        }
        for (Path loader : loaders) {
            if (Files.isExecutable(loader)) {
                return List.of(loader.toString(), "--list");
            }
        }
        throw new IllegalStateException("neither ldd nor a dynamic loader (" + loaders + ") is here: the JVM base "
                + "cannot tell which libraries java needs; only the busybox base can be made on this machine");
    }

    /** A layer named {@code name} with each library at its path here (symbolic links followed). */
    public static FileEntriesLayer layer(String name, Collection<String> libraries) throws IOException {
        FilePermissions executable = FilePermissions.fromOctalString("755");
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (String library : libraries) {
            layer.addEntry(Path.of(library).toRealPath(), AbsoluteUnixPath.get(library), executable);
        }
        return layer.build();
    }
}
