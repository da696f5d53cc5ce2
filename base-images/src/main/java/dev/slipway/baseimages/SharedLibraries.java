package dev.slipway.baseimages;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The shared libraries (glibc and friends) that native programs link, as {@code ldd} resolves them on
 * this machine, so that an image made of a few Debian files runs them without a distribution inside.
 */
public final class SharedLibraries {

    private SharedLibraries() {
    }

    /** Every library {@code binaries} link, by its path here, leaving out those under {@code ownFolder}. */
    public static SortedSet<String> linkedBy(Collection<Path> binaries, Path ownFolder)
            throws IOException, InterruptedException {
        SortedSet<String> libraries = new TreeSet<>();
        for (Path binary : binaries) {
            Process ldd = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
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
