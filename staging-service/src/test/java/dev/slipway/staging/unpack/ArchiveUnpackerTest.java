package dev.slipway.staging.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.ArchiveFormat;
import dev.slipway.events.ReasonCodes;
import dev.slipway.testsupport.archives.Archives;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

class ArchiveUnpackerTest {

    private static final UnpackLimits LIMITS = new UnpackLimits(100, DataSize.ofMegabytes(32), 50,
            DataSize.ofMegabytes(1), DataSize.ofKilobytes(64), 1024);

    @TempDir
    Path work;
    private Path target;
    private Path outside;
    private final ArchiveUnpacker unpacker = new ArchiveUnpacker(LIMITS);

    @BeforeEach
    void folders() throws IOException {
        target = Files.createDirectories(work.resolve("stage/app"));
        outside = Files.createDirectories(work.resolve("stage"));
    }

    @ParameterizedTest
    @EnumSource(Archives.Format.class)
    void unpacksEveryFormatWithAndWithoutATopLevelFolder(Archives.Format format) throws Exception {
        ArchiveUnpacker.Unpacked flat = unpacker.unpack(archive(format, Map.of("index.html", "<h1>flat</h1>",
                "css/site.css", "body{}")), Files.createDirectories(work.resolve("flat")));
        assertThat(flat.root().resolve("index.html")).hasContent("<h1>flat</h1>");
        assertThat(flat.root().resolve("css/site.css")).hasContent("body{}");

        ArchiveUnpacker.Unpacked nested = unpacker.unpack(archive(format, Map.of("my-site/index.html", "<h1>nested</h1>",
                "my-site/css/site.css", "body{}")), Files.createDirectories(work.resolve("nested")));
        assertThat(nested.root().getFileName()).hasToString("my-site");
        assertThat(nested.root().resolve("index.html")).hasContent("<h1>nested</h1>");
        assertThat(nested.files()).extracting(SourceFile::path).containsExactly("css", "css/site.css", "index.html");
        assertThat(nested.format()).isEqualTo(switch (format) {
            case TAR -> ArchiveFormat.TAR;
            case TGZ -> ArchiveFormat.GZIP;
            case TBZ -> ArchiveFormat.BZIP2;
            case TXZ -> ArchiveFormat.XZ;
            case ZIP -> ArchiveFormat.ZIP;
        });
    }

    static Stream<Object[]> unsafeArchives() throws IOException {
        return Stream.of(
                new Object[] {"zip slip", zipWith("../../evil.sh", "rm -rf /"), ReasonCodes.ARCHIVE_UNSAFE_PATH},
                new Object[] {"tar slip", tar(file("ok/../../../evil.sh", "x")), ReasonCodes.ARCHIVE_UNSAFE_PATH},
                new Object[] {"tar absolute path", tar(file("/etc/cron.d/evil", "x")), ReasonCodes.ARCHIVE_UNSAFE_PATH},
                new Object[] {"symlink escape", tar(link("escape", "../../../etc", TarConstants.LF_SYMLINK)),
                        ReasonCodes.ARCHIVE_UNSAFE_LINK},
                new Object[] {"symlink then write through it", tar(link("dir", "sub", TarConstants.LF_SYMLINK),
                        file("dir/x", "y")), ReasonCodes.ARCHIVE_UNSAFE_LINK},
                new Object[] {"hardlink escape", tar(link("passwd", "../../etc/passwd", TarConstants.LF_LINK)),
                        ReasonCodes.ARCHIVE_UNSAFE_PATH},
                new Object[] {"hardlink to nothing", tar(link("ghost", "missing.txt", TarConstants.LF_LINK)),
                        ReasonCodes.ARCHIVE_UNSAFE_LINK},
                new Object[] {"device file", tar(device("dev/sda")), ReasonCodes.ARCHIVE_SPECIAL_FILE},
                new Object[] {"zip bomb", zipWith("zeros.bin", "\0".repeat(8 * 1024 * 1024)),
                        ReasonCodes.ARCHIVE_TOO_LARGE},
                new Object[] {"too many entries", tar(many(150)), ReasonCodes.ARCHIVE_TOO_LARGE},
                new Object[] {"truncated gzip", truncated(Archives.tarGz(Map.of("index.html", "x".repeat(50_000)))),
                        ReasonCodes.ARCHIVE_CORRUPT},
                new Object[] {"wrong magic", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8),
                        ReasonCodes.ARCHIVE_FORMAT_UNKNOWN},
                new Object[] {"repeated path", tar(file("a.txt", "1"), file("a.txt", "2")),
                        ReasonCodes.ARCHIVE_UNSAFE_PATH},
                new Object[] {"file where a link was declared", tar(link("a.txt", "b.txt", TarConstants.LF_SYMLINK),
                        file("b.txt", "1"), file("a.txt", "2")), ReasonCodes.ARCHIVE_UNSAFE_PATH},
                new Object[] {"hard link to a declared symlink", tar(file("b.txt", "1"),
                        link("a.txt", "b.txt", TarConstants.LF_SYMLINK), link("c.txt", "a.txt", TarConstants.LF_LINK)),
                        ReasonCodes.ARCHIVE_UNSAFE_LINK},
                new Object[] {"hard-link copies past the byte limit", tar(withCopies(file("big.bin",
                        "x".repeat(2 << 20)), TarConstants.LF_LINK, 20)), ReasonCodes.ARCHIVE_TOO_LARGE},
                new Object[] {"symlinks to one big file past the byte limit", tar(withCopies(file("big.bin",
                        "x".repeat(2 << 20)), TarConstants.LF_SYMLINK, 20)), ReasonCodes.ARCHIVE_TOO_LARGE});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsafeArchives")
    void refusesAnUnsafeArchiveWithItsReasonAndWritesNothingOutside(String name, byte[] archive, String reason)
            throws IOException {
        Path file = Files.write(work.resolve("source.bin"), archive);
        List<Path> before = everythingUnder(work);

        assertThatThrownBy(() -> unpacker.unpack(file, target))
                .isInstanceOf(UnsafeArchiveException.class)
                .satisfies(error -> assertThat(((UnsafeArchiveException) error).reason()).isEqualTo(reason));

        assertThat(everythingUnder(work)).allMatch(path -> before.contains(path) || path.startsWith(target));
        assertThat(outside.resolve("evil.sh")).doesNotExist();
    }

    @Test
    void keepsLinksThatStayInsideAndTheExecutableBit() throws Exception {
        TarArchiveEntry script = new TarArchiveEntry("run.sh");
        script.setMode(0755);
        byte[] body = "#!/bin/sh\necho ok\n".getBytes(StandardCharsets.UTF_8);
        script.setSize(body.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.putArchiveEntry(script);
            tar.write(body);
            tar.closeArchiveEntry();
            tar.putArchiveEntry(link("start", "run.sh", TarConstants.LF_SYMLINK));
            tar.closeArchiveEntry();
            tar.putArchiveEntry(link("copy.sh", "run.sh", TarConstants.LF_LINK));
            tar.closeArchiveEntry();
        }
        ArchiveUnpacker.Unpacked unpacked = unpacker.unpack(Files.write(work.resolve("ok.tar"), bytes.toByteArray()),
                target);

        assertThat(Files.isExecutable(unpacked.root().resolve("run.sh"))).isTrue();
        assertThat(Files.readSymbolicLink(unpacked.root().resolve("start"))).hasToString("run.sh");
        assertThat(unpacked.root().resolve("copy.sh")).hasContent("#!/bin/sh\necho ok");
        assertThat(unpacked.entries()).isEqualTo(3);
    }

    @Test
    void keepsAZipLinkThatStaysInsideAndTheExecutableBit() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry script = new ZipArchiveEntry("run.sh");
            script.setUnixMode(0100755);
            zip.putArchiveEntry(script);
            zip.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
            ZipArchiveEntry start = new ZipArchiveEntry("start");
            start.setUnixMode(0120777);
            zip.putArchiveEntry(start);
            zip.write("run.sh".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        ArchiveUnpacker.Unpacked unpacked = unpacker.unpack(Files.write(work.resolve("ok.zip"), bytes.toByteArray()),
                target);

        assertThat(Files.readSymbolicLink(unpacked.root().resolve("start"))).hasToString("run.sh");
        assertThat(unpacked.files()).containsExactly(
                new SourceFile("run.sh", unpacked.root().resolve("run.sh"), false, true),
                new SourceFile("start", unpacked.root().resolve("run.sh"), false, true));
    }

    @Test
    void listsTheAppForTheImageWithLinksAsFilesHoldingTheirTargetsContent() throws Exception {
        TarArchiveEntry script = file("my-site/bin/run.sh", "#!/bin/sh");
        script.setMode(0755);
        ArchiveUnpacker.Unpacked unpacked = unpacker.unpack(Files.write(work.resolve("links.tgz"), tar(
                file("my-site/index.html", "<h1>hi</h1>"),
                file("my-site/css/site.css", "body{}"),
                script,
                link("my-site/home.html", "index.html", TarConstants.LF_SYMLINK),
                // a link to a link: the image gets the file at the end of the chain
                link("my-site/css/main.css", "../latest.css", TarConstants.LF_SYMLINK),
                link("my-site/latest.css", "css/site.css", TarConstants.LF_SYMLINK),
                link("my-site/start", "bin/run.sh", TarConstants.LF_SYMLINK))), target);

        Path app = unpacked.root();
        assertThat(unpacked.files()).extracting(SourceFile::path).containsExactly("bin", "bin/run.sh", "css",
                "css/main.css", "css/site.css", "home.html", "index.html", "latest.css", "start");
        assertThat(unpacked.files()).filteredOn(SourceFile::directory).extracting(SourceFile::path)
                .containsExactly("bin", "css");
        assertThat(byPath(unpacked, "home.html").content()).isEqualTo(app.resolve("index.html"));
        assertThat(byPath(unpacked, "css/main.css").content()).isEqualTo(app.resolve("css/site.css"));
        assertThat(byPath(unpacked, "start").executable()).isTrue();
        assertThat(byPath(unpacked, "index.html").executable()).isFalse();
        // the links themselves stay links on disk; only the list resolves them
        assertThat(Files.readSymbolicLink(app.resolve("home.html"))).hasToString("index.html");
    }

    @Test
    void listsAFolderWithoutEnteringItsLinksEvenOneToItself() throws IOException {
        // an unpack refuses such a link; the list must end all the same, whatever is on disk
        Path app = Files.createDirectories(work.resolve("walked"));
        Path index = Files.writeString(app.resolve("index.html"), "<h1>hi</h1>");
        Path loop = Files.createSymbolicLink(app.resolve("loop"), Path.of("."));

        List<SourceFile> files = SourceFiles.walk(app, Map.of(loop, index), 2);

        assertThat(files).containsExactly(new SourceFile("index.html", index, false, false),
                new SourceFile("loop", index, false, false));
    }

    private static SourceFile byPath(ArchiveUnpacker.Unpacked unpacked, String path) {
        return unpacked.files().stream().filter(file -> file.path().equals(path)).findFirst().orElseThrow();
    }

    private Path archive(Archives.Format format, Map<String, String> files) throws IOException {
        return Files.write(work.resolve("source-" + format + "-" + files.hashCode()), Archives.of(format, files));
    }

    private static List<Path> everythingUnder(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.toList();
        }
    }

    private static TarArchiveEntry file(String name, String content) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length());
        return entry;
    }

    private static TarArchiveEntry link(String name, String target, byte type) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setLinkName(target);
        return entry;
    }

    private static TarArchiveEntry device(String name) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
        entry.setDevMajor(8);
        return entry;
    }

    private static TarArchiveEntry[] many(int count) {
        TarArchiveEntry[] entries = new TarArchiveEntry[count];
        for (int i = 0; i < count; i++) {
            entries[i] = file("f" + i + ".txt", "");
        }
        return entries;
    }

    /** {@code original}, then {@code count} links of {@code type} to it. */
    private static TarArchiveEntry[] withCopies(TarArchiveEntry original, byte type, int count) {
        TarArchiveEntry[] entries = new TarArchiveEntry[count + 1];
        entries[0] = original;
        for (int i = 1; i <= count; i++) {
            entries[i] = link("copy" + i + ".bin", original.getName(), type);
        }
        return entries;
    }

    private static byte[] tar(TarArchiveEntry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry entry : entries) {
                tar.putArchiveEntry(entry);
                if (entry.isFile() && entry.getSize() > 0) {
                    tar.write("x".repeat((int) entry.getSize()).getBytes(StandardCharsets.UTF_8));
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] zipWith(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.putArchiveEntry(new ZipArchiveEntry(name));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] truncated(byte[] archive) {
        return Arrays.copyOf(archive, archive.length / 2);
    }
}
