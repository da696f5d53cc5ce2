package dev.slipway.testsupport.images;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Small app images for runtime tests, built with Jib from Debian's static busybox and pushed to a
 * test registry: one that serves a page on {@code $PORT}, one that exits at once.
 */
public final class TestImages {

    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private TestImages() {
    }

    /** {@code <registry>/<repository>:<tag>} serving {@code body} at {@code /} on {@code $PORT}. */
    public static String page(String registry, String repository, String tag, String body) throws Exception {
        Path www = Files.createTempDirectory("test-image-www");
        Files.writeString(www.resolve("index.html"), body);
        return push(registry + "/" + repository + ":" + tag, www.resolve("index.html"),
                "exec busybox httpd -f -p $PORT -h /www");
    }

    /** An image whose process ends at once with a message, as a broken app would. */
    public static String crashing(String registry, String repository, String tag) throws Exception {
        Path www = Files.createTempDirectory("test-image-www");
        Files.writeString(www.resolve("index.html"), "never served");
        return push(registry + "/" + repository + ":" + tag, www.resolve("index.html"),
                "echo 'cannot open database'; exit 3");
    }

    private static String push(String reference, Path page, String command) throws Exception {
        FilePermissions executable = FilePermissions.fromOctalString("755");
        Jib.fromScratch()
                .addFileEntriesLayer(FileEntriesLayer.builder()
                        .addEntry(BUSYBOX, AbsoluteUnixPath.get("/bin/busybox"), executable)
                        .addEntry(BUSYBOX, AbsoluteUnixPath.get("/bin/sh"), executable)
                        .addEntry(page, AbsoluteUnixPath.get("/www/index.html"))
                        .build())
                .setCreationTime(Instant.EPOCH)
                .setEnvironment(java.util.Map.of("PATH", "/bin"))
                .setEntrypoint(List.of("/bin/sh", "-c", command))
                .containerize(Containerizer.to(RegistryImage.named(reference)).setAllowInsecureRegistries(true));
        return reference;
    }
}
