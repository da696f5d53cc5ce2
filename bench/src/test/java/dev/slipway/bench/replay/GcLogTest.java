package dev.slipway.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GcLogTest {

    private static final List<String> G1 = List.of(
            "[0.008s][info][gc] Using G1",
            "[1.234s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 5.123ms",
            "[2.001s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 1800M->1536M(2048M) 9.5ms",
            "[2.002s][info][gc] GC(2) Concurrent Mark Cycle",
            "[2.300s][info][gc] GC(2) Pause Remark 1600M->1590M(2048M) 3.1ms",
            "[2.900s][info][gc] GC(2) Concurrent Mark Cycle 897.993ms",
            "[9.000s][info][gc] GC(3) Pause Full (Diagnostic Command) 900M->412M(1024M) 571.412ms",
            "[9.500s][info][gc] GC(4) Pause Young (Normal) (G1 Evacuation Pause) 800K->700K(1G) 1.0ms");

    @Test
    void peakIsTheLargestHeapLeftAfterAnyCollection() {
        assertThat(GcLog.of(G1).peakAfterGc()).hasValue(1590L << 20);
        assertThat(GcLog.of(G1).pauses()).isEqualTo(5);
    }

    @Test
    void retainedIsWhatTheLastRequestedFullCollectionLeft() {
        assertThat(GcLog.of(G1).afterLastRequestedGc()).hasValue(412L << 20);
        assertThat(GcLog.of(List.of("[1.0s][info][gc] GC(9) Pause Full (System.gc()) 2G->1G(3G) 1.0ms"))
                .afterLastRequestedGc()).hasValue(1L << 30);
    }

    @Test
    void aLogWithoutCollectionsHasNoSizes() {
        assertThat(GcLog.of(List.of("[0.008s][info][gc] Using G1")).peakAfterGc()).isEmpty();
        assertThat(GcLog.of(List.of()).afterLastRequestedGc()).isEmpty();
    }
}
