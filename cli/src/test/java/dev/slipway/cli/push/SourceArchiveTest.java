package dev.slipway.cli.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceArchiveTest {

    @TempDir
    Path folder;

    @Test
    void gitignoreSyntaxDecidesWhatIsLeftOut() {
        IgnoreRules rules = IgnoreRules.parse(List.of("# comment", "*.log", "!keep.log", "/build/", "node_modules/",
                "docs/**/*.tmp", "secret?.txt", "[Tt]emp*"));

        assertThat(rules.ignores("app.log", false)).isTrue();
        assertThat(rules.ignores("deep/er/app.log", false)).isTrue();
        assertThat(rules.ignores("keep.log", false)).isFalse();
        assertThat(rules.ignores("build", true)).isTrue();
        assertThat(rules.ignores("src/build", true)).isFalse();
        assertThat(rules.ignores("build", false)).isFalse();
        assertThat(rules.ignores("web/node_modules", true)).isTrue();
        assertThat(rules.ignores("docs/a/b/c.tmp", false)).isTrue();
        assertThat(rules.ignores("docs/c.tmp", false)).isTrue();
        assertThat(rules.ignores("other/c.tmp", false)).isFalse();
        assertThat(rules.ignores("secret1.txt", false)).isTrue();
        assertThat(rules.ignores("secret12.txt", false)).isFalse();
        assertThat(rules.ignores("Temp.txt", false)).isTrue();
        assertThat(rules.ignores("index.html", false)).isFalse();
    }

    @Test
    void theArchiveHoldsTheFolderWithoutGitOrIgnoredFilesAndKeepsExecutableBits() throws Exception {
        write("index.html", "<h1>hi</h1>");
        write("bin/start.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(folder.resolve("bin/start.sh"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        write(".git/HEAD", "ref: refs/heads/main");
        write("debug.log", "noise");
        write("node_modules/x/index.js", "x");
        write(".slipwayignore", "*.log\nnode_modules/\n");

        SourceArchive.Written written = SourceArchive.of(folder, Files.createTempFile("push", ".tar.gz"));

        Map<String, TarArchiveEntry> entries = entries(written.file());
        assertThat(entries.keySet()).containsExactlyInAnyOrder("index.html", "bin/", "bin/start.sh",
                ".slipwayignore");
        assertThat(entries.get("bin/start.sh").getMode() & 0777).isEqualTo(0755);
        assertThat(entries.get("index.html").getMode() & 0777).isEqualTo(0644);
        assertThat(written.files()).isEqualTo(3);
    }

    @Test
    void theManifestGivesDefaultsAndRefusesUnknownKeys() throws Exception {
        write("slipway.yml", "name: shop\ninstances: 2\nroutes: [shop.example.com]\nenv: {MODE: prod, N: 3}\n"
                + "builder-image: example/builder:2\nmemory: 1G\n");
        Manifest manifest = Manifest.read(folder.resolve("slipway.yml"));
        assertThat(manifest).isEqualTo(new Manifest("shop", 2, List.of("shop.example.com"),
                Map.of("MODE", "prod", "N", "3"), "example/builder:2", 1024, null, null));

        write("bad.yml", "name: x\ninstance: 2\n");
        assertThatThrownBy(() -> Manifest.read(folder.resolve("bad.yml"))).isInstanceOf(CliException.class)
                .hasMessageContaining("unknown key 'instance'");
        assertThat(Manifest.read(folder.resolve("absent.yml"))).isEqualTo(Manifest.empty());
    }

    @Test
    void memoryIsWrittenInMegabytesOrGigabytesAndAnythingElseIsNamed() throws Exception {
        assertThat(MemoryFlag.megabytes("256", "--memory")).isEqualTo(256);
        assertThat(MemoryFlag.megabytes("256M", "--memory")).isEqualTo(256);
        assertThat(MemoryFlag.megabytes("512mb", "--memory")).isEqualTo(512);
        assertThat(MemoryFlag.megabytes("2G", "--memory")).isEqualTo(2048);
        for (String odd : List.of("lots", "-5", "1.5G", "256K", "", "9999999G", "1e9")) {
            assertThatThrownBy(() -> MemoryFlag.megabytes(odd, "--memory")).as(odd)
                    .isInstanceOf(CliException.class).hasMessageContaining("--memory");
        }
        write("greedy.yml", "memory: a lot\n");
        assertThatThrownBy(() -> Manifest.read(folder.resolve("greedy.yml"))).isInstanceOf(CliException.class)
                .hasMessageContaining("greedy.yml: memory 'a lot' is not a memory size");
    }

    @Test
    void appNamesComeFromFolderAndArchiveNames() {
        assertThat(PushCommand.nameFrom(Path.of("/src/My_Shop"))).isEqualTo("my-shop");
        assertThat(PushCommand.nameFrom(Path.of("site.tar.gz"))).isEqualTo("site");
        assertThat(PushCommand.nameFrom(Path.of("web.zip"))).isEqualTo("web");
    }

    private void write(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static Map<String, TarArchiveEntry> entries(Path archive) throws IOException {
        Map<String, TarArchiveEntry> entries = new java.util.HashMap<>();
        try (InputStream in = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.put(entry.getName(), entry);
            }
        }
        return entries;
    }
}
