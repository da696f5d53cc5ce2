package dev.slipway.bench;

import dev.slipway.staging.unpack.ArchiveUnpacker;
import dev.slipway.staging.unpack.UnpackLimits;
import dev.slipway.testsupport.archives.GeneratedUpload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.springframework.util.unit.DataSize;

/**
 * Staging's safe unpacker against the native tools on the same archives, in one run: a tar.gz of
 * 10,000 small files against GNU tar, and a zip holding one large file against unzip. Every check
 * (paths, links, sizes, ratio) stays on. Goal: at least 0.7x the native tool, heap flat.
 * Run: {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:java
 * -Dexec.mainClass=dev.slipway.bench.UnpackBenchmark} ({@code -Dzip.mb=500}).
 */
public final class UnpackBenchmark {

    private UnpackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long zipBytes = Long.getLong("zip.mb", 500) * 1024 * 1024;
        Path work = Files.createTempDirectory("slipway-unpack-bench");
        // production's limits, with room for the large zip
        UnpackLimits defaults = UnpackLimits.defaults();
        ArchiveUnpacker unpacker = new ArchiveUnpacker(new UnpackLimits(defaults.maxEntries(),
                DataSize.ofGigabytes(4), defaults.maxCompressionRatio(), defaults.ratioFloor(),
                defaults.maxHeaderBytes(), defaults.maxNameLength()));
        try {
            Path tgz = smallFilesTarGz(work.resolve("small.tgz"), 10_000);
            Path zip = oneLargeFileZip(work.resolve("large.zip"), zipBytes);
            report("tar.gz of 10,000 small files", tgz, unpacker, work, "tar", "-xzf", "{archive}", "-C", "{target}");
            report("zip of one " + (zipBytes >> 20) + " MiB file", zip, unpacker, work, "unzip", "-q", "{archive}",
                    "-d", "{target}");
        } finally {
            delete(work);
        }
    }

    private static void report(String name, Path archive, ArchiveUnpacker unpacker, Path work, String... tool)
            throws Exception {
        double ours = Double.MAX_VALUE;
        double native_ = Double.MAX_VALUE;
        long peakHeap = 0;
        for (int round = 0; round < 3; round++) {
            Path mine = work.resolve("ours-" + round);
            resetPeaks();
            long start = System.nanoTime();
            unpacker.unpack(archive, mine);
            ours = Math.min(ours, (System.nanoTime() - start) / 1e9);
            peakHeap = Math.max(peakHeap, peakHeap());
            delete(mine);

            Path theirs = Files.createDirectories(work.resolve("native-" + round));
            List<String> command = Stream.of(tool).map(part -> part.replace("{archive}", archive.toString())
                    .replace("{target}", theirs.toString())).toList();
            start = System.nanoTime();
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            native_ = Math.min(native_, (System.nanoTime() - start) / 1e9);
            if (exit != 0) {
                throw new IllegalStateException(command + " exited with " + exit);
            }
            delete(theirs);
        }
        System.out.printf("%s (%.1f MiB archive): slipway %.2f s, %s %.2f s, ratio native/slipway %.2f "
                        + "(goal >= 0.70), peak heap used %d MiB%n", name, Files.size(archive) / 1048576.0, ours, tool[0],
                native_, native_ / ours, peakHeap >> 20);
    }

    private static Path smallFilesTarGz(Path file, int count) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (int i = 0; i < count; i++) {
                byte[] body = ("file " + i + " " + "content ".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry("app/dir" + (i % 100) + "/file" + i + ".txt");
                entry.setSize(body.length);
                tar.putArchiveEntry(entry);
                tar.write(body);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    private static Path oneLargeFileZip(Path file, long size) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
            zip.putArchiveEntry(new ZipArchiveEntry("app/data.bin"));
            try (InputStream data = new GeneratedUpload(size, 3)) {
                data.transferTo(zip);
            }
            zip.closeArchiveEntry();
        }
        return file;
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    private static void delete(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
