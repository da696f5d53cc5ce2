package dev.slipway.baseimages;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Debian's static busybox ({@code busybox-static}) as an image's shell: one binary with no library
 * to bring along, which also serves static sites ({@code httpd}).
 */
public final class Busybox {

    public static final Path BINARY = Path.of("/bin/busybox");

    private Busybox() {
    }

    /** A layer named {@code busybox} with {@code /bin/busybox} and {@code /bin/sh}. */
    public static FileEntriesLayer.Builder layer() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install busybox-static");
        }
        FilePermissions executable = FilePermissions.fromOctalString("755");
        return FileEntriesLayer.builder().setName("busybox")
                .addEntry(BINARY, AbsoluteUnixPath.get("/bin/busybox"), executable)
                .addEntry(BINARY, AbsoluteUnixPath.get("/bin/sh"), executable);
    }
}
