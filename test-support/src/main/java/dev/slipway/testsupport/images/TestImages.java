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
import java.util.Map;

/**
 * Small app images for runtime tests, built with Jib from Debian's static busybox and pushed to a
 * test registry: one that serves a page on {@code $PORT}, one that exits at once, one that probes what it
 * can reach ({@link NetworkProbe}), one that grows past any memory limit as it starts.
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

    /** {@link NetworkProbe}'s app: {@code /cgi-bin/probe} and {@code /cgi-bin/hog} on {@code $PORT}. */
    public static String networkProbe(String registry, String repository, String tag) throws Exception {
        Path app = NetworkProbe.writeApp(Files.createTempDirectory("test-image-probe"));
        return push(registry + "/" + repository + ":" + tag, app.resolve("public/index.html"),
                "cd /app && " + NetworkProbe.PROCFILE.substring("web: ".length()).strip(),
                Map.of(app.resolve("public/cgi-bin/probe"), "/app/public/cgi-bin/probe",
                        app.resolve("public/cgi-bin/hog"), "/app/public/cgi-bin/hog",
                        app.resolve("public/index.html"), "/app/public/index.html"));
    }

    /**
     * An app that talks: a coloured line and a 10000-character line on stdout, a line on stderr, then
     * {@code tick <n>} every 200 ms, for log readers.
     */
    public static String talking(String registry, String repository, String tag) throws Exception {
        Path www = Files.createTempDirectory("test-image-www");
        Files.writeString(www.resolve("index.html"), "never served");
        return push(registry + "/" + repository + ":" + tag, www.resolve("index.html"),
                "printf '\\033[31mred\\033[0m alert\\n'; busybox sleep 0.2; busybox head -c 10000 /dev/zero | busybox tr '\\0' x; echo;"
                        + " echo to-stderr >&2; i=0; while true; do echo \"tick $i\"; i=$((i+1)); busybox sleep 0.2; done");
    }

    /** An image that takes more and more memory as it starts, never answering. */
    public static String memoryHog(String registry, String repository, String tag) throws Exception {
        Path www = Files.createTempDirectory("test-image-www");
        Files.writeString(www.resolve("index.html"), "never served");
        return push(registry + "/" + repository + ":" + tag, www.resolve("index.html"),
                "echo 'loading everything into memory'; grow=x; while true; do grow=\"$grow$grow\"; done");
    }

    private static String push(String reference, Path page, String command) throws Exception {
        return push(reference, page, command, Map.of());
    }

    private static String push(String reference, Path page, String command, Map<Path, String> programs)
            throws Exception {
        FilePermissions executable = FilePermissions.fromOctalString("755");
        FileEntriesLayer.Builder files = FileEntriesLayer.builder()
                .addEntry(BUSYBOX, AbsoluteUnixPath.get("/bin/busybox"), executable)
                .addEntry(BUSYBOX, AbsoluteUnixPath.get("/bin/sh"), executable)
                .addEntry(page, AbsoluteUnixPath.get("/www/index.html"));
        programs.forEach((file, path) -> files.addEntry(file, AbsoluteUnixPath.get(path), executable));
        Jib.fromScratch()
                .addFileEntriesLayer(files.build())
                .setCreationTime(Instant.EPOCH)
                .setEnvironment(Map.of("PATH", "/bin"))
                .setEntrypoint(List.of("/bin/sh", "-c", command))
                .containerize(Containerizer.to(RegistryImage.named(reference)).setAllowInsecureRegistries(true));
        return reference;
    }
}
