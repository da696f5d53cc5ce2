package dev.slipway.baseimages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The services' base as the image tar it is written to: what a container of it finds, and its config. */
class ServiceBaseTest {

    /** Jib's own Jackson, which comes with jib-core. */
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void theBaseHoldsARuntimeItsLibrariesTheStageWorkersToolsAndANonRootUser() throws Exception {
        Path tar = folder.resolve("service-base.tar");

        assertThat(ServiceBase.write(tar)).isTrue();

        Map<String, TarArchiveEntry> files = filesOf(tar);
        assertThat(files).containsKeys("bin/sh", "opt/java/bin/java", "opt/java/lib/security/cacerts",
                "usr/bin/prlimit", "usr/bin/setsid", "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6",
                "lib/x86_64-linux-gnu/libsmartcols.so.1", "etc/ssl/certs/ca-certificates.crt", "etc/passwd");
        // a server never loads the desktop's native parts: their X11 libraries stay out
        assertThat(files.keySet()).noneMatch(name -> name.contains("libX11"));
        assertThat(files.get("tmp/").getMode() & 0777).isEqualTo(0777);
        assertThat(files.get("home/slipway/").getLongUserId()).isEqualTo(10001);
        JsonNode config = config(tar);
        assertThat(config.path("config").path("User").asText()).isEqualTo(ServiceBase.USER);
        assertThat(config.path("config").path("Env").toString()).contains("JAVA_HOME=/opt/java");
    }

    @Test
    void passwdNamesTheServicesUserWithoutALoginShell() throws Exception {
        Path tar = folder.resolve("service-base.tar");
        ServiceBase.write(tar);

        String passwd = fileOf(tar, "etc/passwd");

        assertThat(passwd).contains("slipway:x:10001:10001:").doesNotContain("/bin/sh");
    }

    @Test
    void anUnchangedBaseIsNotWrittenAgainButAChangedOneIs() throws Exception {
        Path tar = folder.resolve("service-base.tar");
        ServiceBase.write(tar);
        long firstWritten = Files.getLastModifiedTime(tar).toMillis();

        assertThat(ServiceBase.write(tar)).isFalse();
        assertThat(Files.getLastModifiedTime(tar).toMillis()).isEqualTo(firstWritten);

        // a stamp of other inputs (an updated Debian package, another JDK) makes it anew
        Files.writeString(tar.resolveSibling("service-base.tar.inputs"), "made from something else");
        assertThat(ServiceBase.write(tar)).isTrue();
    }

    /** Every path in the image's layers, as a container sees them (no leading slash). */
    private static Map<String, TarArchiveEntry> filesOf(Path image) throws IOException {
        Map<String, TarArchiveEntry> files = new HashMap<>();
        forEachLayerEntry(image, (entry, content) -> files.put(entry.getName().replaceFirst("^\\./", ""), entry));
        return files;
    }

    private static String fileOf(Path image, String name) throws IOException {
        StringBuilder found = new StringBuilder();
        forEachLayerEntry(image, (entry, content) -> {
            if (entry.getName().replaceFirst("^\\./", "").equals(name)) {
                found.append(new String(content.readAllBytes(), StandardCharsets.UTF_8));
            }
        });
        return found.toString();
    }

    private interface EntryVisitor {
        void visit(TarArchiveEntry entry, InputStream content) throws IOException;
    }

    /** A docker-format image tar: manifest.json names the layer tars (gzipped) inside it. */
    private static void forEachLayerEntry(Path image, EntryVisitor visitor) throws IOException {
        Map<String, byte[]> members = members(image);
        JsonNode manifest = JSON.readTree(members.get("manifest.json")).path(0);
        for (JsonNode layer : manifest.path("Layers")) {
            try (TarArchiveInputStream layerTar = new TarArchiveInputStream(new GZIPInputStream(
                    new java.io.ByteArrayInputStream(members.get(layer.asText()))))) {
                for (TarArchiveEntry entry = layerTar.getNextEntry(); entry != null; entry = layerTar.getNextEntry()) {
                    visitor.visit(entry, layerTar);
                }
            }
        }
    }

    private static JsonNode config(Path image) throws IOException {
        Map<String, byte[]> members = members(image);
        JsonNode manifest = JSON.readTree(members.get("manifest.json")).path(0);
        return JSON.readTree(members.get(manifest.path("Config").asText()));
    }

    private static Map<String, byte[]> members(Path image) throws IOException {
        Map<String, byte[]> members = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(image))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                members.put(entry.getName(), tar.readAllBytes());
            }
        }
        return members;
    }
}
