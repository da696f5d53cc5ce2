package dev.slipway.staging.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.events.ReasonCodes;
import dev.slipway.testsupport.archives.HostileArchives;
import dev.slipway.testsupport.archives.HostileArchives.Special;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.util.unit.DataSize;

/**
 * The hostile corpus against the unpacker with production's default limits: each archive is refused
 * with its reason and a message that says what to fix, and nothing lands outside the target folder.
 * The archives that once exhausted memory are refused by a budget, early, whatever the test JVM's
 * heap: the bytes this thread allocates while unpacking are measured, and stay far below the size
 * of the header or directory the archive holds.
 */
class HostileArchivesTest {

    private static final long MiB = 1024 * 1024;
    /** Far below every memory attack here (64 MiB and up), far above what a refusal needs (~1 MiB). */
    private static final long ALLOCATION_BUDGET = 24 * MiB;

    @TempDir
    Path work;
    private Path target;
    private Path sentinel;
    private Path upload;
    private ArchiveUnpacker unpacker = new ArchiveUnpacker(UnpackLimits.defaults());

    @BeforeEach
    void folders() throws IOException {
        target = Files.createDirectories(work.resolve("stage/app"));
        // a sibling of the target: anything escaping one level lands here or beside it
        sentinel = Files.createDirectories(work.resolve("stage/sentinel"));
        upload = work.resolve("upload.bin");
    }

    // headers that commons-compress reads into memory whole

    @Test
    void refusesAGnuLongNameLargerThanTheHeaderBudget() throws IOException {
        Refused refused = unpack(HostileArchives.gnuLongName(64 * MiB));

        refused.is(ReasonCodes.ARCHIVE_HEADER_TOO_LARGE, "GNU long name", "1024 KiB",
                "slipway.staging.unpack.max-header-bytes", "shorten the paths");
        refused.allocatedLittle();
    }

    @Test
    void refusesAPaxHeaderLargerThanTheHeaderBudget() throws IOException {
        Refused refused = unpack(HostileArchives.paxHeader(256 * MiB));

        refused.is(ReasonCodes.ARCHIVE_HEADER_TOO_LARGE, "PAX extended header",
                "slipway.staging.unpack.max-header-bytes");
        refused.allocatedLittle();
    }

    @Test
    void refusesASparseMapLargerThanTheHeaderBudget() throws IOException {
        Refused refused = unpack(HostileArchives.oldGnuSparseMap(16 * MiB));

        refused.is(ReasonCodes.ARCHIVE_HEADER_TOO_LARGE, "sparse map", "slipway.staging.unpack.max-header-bytes");
        refused.allocatedLittle();
    }

    @Test
    void refusesGlobalPaxHeadersThatPileUpAcrossEntriesThoughEachFitsTheHeaderBudget() throws IOException {
        Refused refused = unpack(HostileArchives.globalPaxHeaders(64, 600 * 1024));

        refused.is(ReasonCodes.ARCHIVE_HEADER_TOO_LARGE, "entry 'file1.txt' carries more than 1024 KiB of PAX header",
                "global ones included", "slipway.staging.unpack.max-header-bytes");
        refused.allocatedLittle();
    }

    @Test
    void refusesAnEntryNameLongerThanTheNameLimitThoughItsHeaderFits() throws IOException {
        unpack(HostileArchives.paxHeader(64 * 1024))
                .is(ReasonCodes.ARCHIVE_HEADER_TOO_LARGE, "longer than 4096 bytes",
                        "slipway.staging.unpack.max-name-length", "shorten it");
    }

    @Test
    void refusesAZipLinkWhoseTargetIsLongerThanTheNameLimitWithoutReadingIt() throws IOException {
        Refused refused = unpack(HostileArchives.zipLinkWithLongTarget(64 * MiB));

        refused.is(ReasonCodes.ARCHIVE_HEADER_TOO_LARGE, "the target of link 'index.html'",
                "slipway.staging.unpack.max-name-length");
        refused.allocatedLittle();
    }

    @Test
    void refusesAnXzArchiveThatAsksForGigabytesOfMemory() throws IOException {
        Refused refused = unpack(HostileArchives.xzNeedingMemory());

        refused.is(ReasonCodes.ARCHIVE_TOO_LARGE, "needs 1536 MiB of memory to decompress, more than 96 MiB",
                "xz's default preset");
        refused.allocatedLittle();
    }

    @Test
    void countsTheHolesOfASparseFileAgainstTheByteLimit() throws IOException {
        unpacker = new ArchiveUnpacker(limits(100, DataSize.ofMegabytes(8)));

        unpack(HostileArchives.sparseFileWithHole(4L << 30))
                .is(ReasonCodes.ARCHIVE_TOO_LARGE, "unpacks to more than 8 MB", "slipway.staging.unpack.max-bytes");
    }

    @Test
    void countsTheFoldersThatDeepPathsMakeThoughTheArchiveNeverListsThem() throws IOException {
        unpacker = new ArchiveUnpacker(limits(1000, UnpackLimits.defaults().maxBytes()));
        java.util.Map<String, String> deep = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            deep.put("d" + i + "/" + "a/".repeat(100) + "f", "x");
        }

        unpack(dev.slipway.testsupport.archives.Archives.tarGz(deep))
                .is(ReasonCodes.ARCHIVE_TOO_LARGE, "more than 1000 folders", "slipway.staging.unpack.max-entries");
    }

    @Test
    void refusesAPathDeeperThanAnySourceTree() throws IOException {
        unpack(dev.slipway.testsupport.archives.Archives.tarGz(java.util.Map.of("a/".repeat(200) + "f", "x")))
                .is(ReasonCodes.ARCHIVE_UNSAFE_PATH, "more than 128 folders deep");
    }

    // zip central directories, refused before ZipFile parses them

    @Test
    void refusesAZipWhoseEndRecordDeclaresMoreEntriesThanTheLimit() throws IOException {
        Refused refused = unpack(HostileArchives.zipDeclaringEntries(60_000));

        refused.is(ReasonCodes.ARCHIVE_TOO_LARGE, "declares 60000 entries, more than 20000",
                "slipway.staging.unpack.max-entries");
        refused.allocatedLittle();
    }

    @Test
    void refusesAZip64EndRecordDeclaringBillionsOfEntries() throws IOException {
        Refused refused = unpack(HostileArchives.zip64DeclaringEntries(5_000_000_000L));

        refused.is(ReasonCodes.ARCHIVE_TOO_LARGE, "declares 5000000000 entries");
        refused.allocatedLittle();
    }

    @Test
    void refusesACentralDirectoryOfHundredsOfThousandsOfRecordsBehindASmallCount() throws IOException {
        Refused refused = unpack(HostileArchives.zipWithUncountedRecords(300_000, 1));

        refused.is(ReasonCodes.ARCHIVE_TOO_LARGE, "central directory claims", "for 1 entries",
                "build the archive again");
        refused.allocatedLittle();
    }

    @Test
    void countsTheCentralDirectoryRecordsItselfWhenTheDeclaredCountLies() throws IOException {
        unpacker = new ArchiveUnpacker(limits(100, UnpackLimits.defaults().maxBytes()));

        unpack(HostileArchives.zipWithUncountedRecords(1_000, 50))
                .is(ReasonCodes.ARCHIVE_TOO_LARGE, "more than 100 entries", "slipway.staging.unpack.max-entries");
    }

    @ParameterizedTest(name = "central {0}, local {1}")
    @CsvSource({"index.html, ../../evil.sh", "../../evil.sh, index.html", "run.sh, ../sentinel/run.sh"})
    void refusesAZipWhoseLocalNameDiffersFromItsCentralName(String central, String local) throws IOException {
        unpack(HostileArchives.zipWhoseLocalNameDiffers(central, local))
                .is(ReasonCodes.ARCHIVE_UNSAFE_PATH, "'" + central + "' is named '" + local + "' in its local header",
                        "build the archive again");
    }

    // links, judged where they really lead

    @Test
    void refusesAFolderLinkToItself() throws IOException {
        unpack(HostileArchives.folderLinkToItself())
                .is(ReasonCodes.ARCHIVE_UNSAFE_LINK, "link 'loop' -> '.' points at a folder",
                        "replace it with a copy of what it points at")
                .leftNoLinks();
    }

    @Test
    void refusesAChainOfLinksThatClimbsAboveTheFolder() throws IOException {
        unpack(HostileArchives.linkChainAboveRoot())
                .is(ReasonCodes.ARCHIVE_UNSAFE_LINK, "link 'x' -> 'b/c/..' resolves, through other links, outside",
                        "replace it with a copy")
                .leftNoLinks();
    }

    @Test
    void refusesAChainOfLinksThatServesAHostFile() throws IOException {
        assumeTrue(Files.isRegularFile(Path.of("/etc/passwd")), "a host file to reach");

        // one link per folder between the target and /, so the chain stays within the kernel's 40 hops
        int depth = target.toRealPath().getNameCount();

        unpack(HostileArchives.linkChainToHostFile("/etc/passwd", depth))
                .is(ReasonCodes.ARCHIVE_UNSAFE_LINK, "link 'index.html' -> 'b/l" + depth + "/etc/passwd' resolves, "
                        + "through other links, outside")
                .leftNoLinks();
    }

    @Test
    void refusesALinkToAnAbsoluteHostPath() throws IOException {
        unpack(HostileArchives.linkToHostFile("/etc/passwd"))
                .is(ReasonCodes.ARCHIVE_UNSAFE_LINK, "link 'index.html' -> '/etc/passwd' points outside",
                        "by a relative path")
                .leftNoLinks();
    }

    @Test
    void refusesALoopOfLinks() throws IOException {
        unpack(HostileArchives.linkLoop())
                .is(ReasonCodes.ARCHIVE_UNSAFE_LINK, "link 'a' -> 'b' never resolves", "or remove it")
                .leftNoLinks();
    }

    @Test
    void refusesADanglingLink() throws IOException {
        unpack(HostileArchives.danglingLink())
                .is(ReasonCodes.ARCHIVE_UNSAFE_LINK, "link 'index.html' -> 'missing.html' points at nothing")
                .leftNoLinks();
    }

    // special files

    @ParameterizedTest
    @EnumSource(value = Special.class, names = {"FIFO", "CHARACTER_DEVICE", "BLOCK_DEVICE"})
    void refusesPipesAndDevicesInATar(Special special) throws IOException {
        unpack(HostileArchives.tarWith(special))
                .is(ReasonCodes.ARCHIVE_SPECIAL_FILE, "entry 'dev/thing' is " + kind(special),
                        "leave it out of the archive");
    }

    @ParameterizedTest
    @EnumSource(Special.class)
    void refusesPipesDevicesAndSocketsByTheirUnixModeInAZip(Special special) throws IOException {
        unpack(HostileArchives.zipWith(special))
                .is(ReasonCodes.ARCHIVE_SPECIAL_FILE, "entry 'dev/thing' is " + kind(special),
                        "leave it out of the archive");
    }

    private static String kind(Special special) {
        return switch (special) {
            case FIFO -> "a named pipe (FIFO)";
            case CHARACTER_DEVICE -> "a character device";
            case BLOCK_DEVICE -> "a block device";
            case SOCKET -> "a socket";
        };
    }

    private static UnpackLimits limits(int maxEntries, DataSize maxBytes) {
        UnpackLimits defaults = UnpackLimits.defaults();
        return new UnpackLimits(maxEntries, maxBytes, defaults.maxCompressionRatio(), defaults.ratioFloor(),
                defaults.maxHeaderBytes(), defaults.maxNameLength());
    }

    /** Unpacks {@code archive}, expecting a refusal, and checks nothing was written outside the target. */
    private Refused unpack(byte[] archive) throws IOException {
        Files.write(upload, archive);
        long before = allocatedByThisThread();
        UnsafeArchiveException refusal = catchThrowableOfType(UnsafeArchiveException.class,
                () -> unpacker.unpack(upload, target));
        long allocated = before < 0 ? -1 : allocatedByThisThread() - before;

        assertThat(refusal).as("refused").isNotNull();
        assertThat(sentinel).isEmptyDirectory();
        assertThat(everythingUnder(work)).allMatch(path -> path.startsWith(target)
                || List.of(work, work.resolve("stage"), sentinel, upload).contains(path));
        return new Refused(refusal, allocated);
    }

    /** A refusal, and how many bytes this thread allocated while unpacking up to it. */
    private final class Refused {

        private final UnsafeArchiveException refusal;
        private final long allocated;

        Refused(UnsafeArchiveException refusal, long allocated) {
            this.refusal = refusal;
            this.allocated = allocated;
        }

        Refused is(String reason, String... message) {
            assertThat(refusal.reason()).as(refusal.getMessage()).isEqualTo(reason);
            assertThat(refusal.getMessage()).contains(message);
            return this;
        }

        /** Failed on a budget, not on memory: far less allocated than the archive holds. */
        void allocatedLittle() {
            // only this check needs the JVM's per-thread count; without it the refusals are still checked
            assumeTrue(allocated >= 0, "the JVM counts allocated bytes per thread");
            assertThat(allocated).as("bytes allocated while unpacking").isLessThan(ALLOCATION_BUDGET);
        }

        /** A refused link is removed again, so a caller that ignores the refusal cannot follow it. */
        void leftNoLinks() throws IOException {
            assertThat(everythingUnder(target)).noneMatch(Files::isSymbolicLink);
        }
    }

    /** Bytes this thread allocated so far, or -1 when the JVM does not count them. */
    private static long allocatedByThisThread() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        return threads.getCurrentThreadAllocatedBytes();
    }

    private static List<Path> everythingUnder(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.toList();
        }
    }
}
