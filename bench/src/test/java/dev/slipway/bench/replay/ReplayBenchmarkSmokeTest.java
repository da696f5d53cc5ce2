package dev.slipway.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end on a small log: a real upload-service process from this build's runnable
 * jar. Each replica takes half a minute or more to start on a busy 2-core machine, so this runs only
 * when asked: {@code ./mvnw -o -B -pl bench -am verify -Dslipway.bench.replay=true
 * -Dtest=ReplayBenchmarkSmokeTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "slipway.bench.replay", matches = "true")
class ReplayBenchmarkSmokeTest {

    private static Path jar;

    @TempDir
    Path work;

    @BeforeAll
    static void findJar() throws IOException {
        Path target = Path.of("..", "upload-service", "target").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(target), "upload-service is not built: " + target);
        try (Stream<Path> files = Files.list(target)) {
            jar = files.filter(file -> file.getFileName().toString().matches("upload-service-.*-exec\\.jar"))
                    .findFirst().orElse(null);
        }
        assumeTrue(jar != null, "no upload-service-*-exec.jar in " + target + ": package upload-service first");
    }

    @Test
    void measuresAReplicaThatCatchesUpAndAnswersWithItsPushes() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<ReplayResult> results = ReplayBenchmark.run(settings("--events", "1000"),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(results).hasSize(1);
        ReplayResult result = results.get(0);
        assertThat(result.failure()).isNull();
        assertThat(result.catchUp()).isPositive().isEqualTo(Math.max(result.readinessUp(), result.healthUp()));
        assertThat(result.heapPeakAfterGc()).isPositive();
        assertThat(result.heapRetained()).isPositive().isLessThanOrEqualTo(result.rssPeak());
        assertThat(result.rssPeak()).isGreaterThan(result.heapRetained());
        assertThat(result.pushReads().count()).isEqualTo(30);
        assertThat(result.pushReads().p99()).isGreaterThanOrEqualTo(result.pushReads().p50()).isPositive();
        assertThat(result.auditPages().count()).isEqualTo(5);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("1000 events (200 pushes of 5 events, 20 namespaces")
                .contains("catch-up: ready and health UP (s)").contains("RSS peak, VmHWM (MiB)");
    }

    @Test
    void aReplicaThatRunsOutOfHeapIsReportedAsFailedWithWhatWasMeasured() throws Exception {
        List<ReplayResult> results = ReplayBenchmark.run(settings("--events", "1000", "--xmx", "24m"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        ReplayResult result = results.get(0);
        assertThat(result.failure()).contains("the process ended with exit code").contains("OutOfMemoryError");
        assertThat(result.pushReads()).isNull();
        assertThat(result.catchUp()).isNull();
        assertThat(result.rssPeak()).isPositive();
    }

    private ReplaySettings settings(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--jar", jar.toString(), "--work", work.toString(),
                "--warm-up", "5", "--push-reads", "30", "--audit-reads", "5", "--audit-limit", "20",
                "--timeout-minutes", "3"));
        args.addAll(List.of(more));
        return ReplaySettings.parse(args.toArray(String[]::new));
    }
}
