package dev.slipway.bench.replay;

import dev.slipway.bench.replay.EventLogFill.FilledLog;
import dev.slipway.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A new upload-service replica replaying the event log: {@code --events} events (pushes of five
 * events over 20 namespaces and 2000 apps, about 1 KB each) are written once to an embedded KRaft
 * broker; then the baseline jar and the measured jar each start as a process with a fixed heap on a
 * copy of that broker's data and are timed from start to ready (the read models caught up), read
 * from ({@code GET /api/v1/pushes/{id}} and audit pages) and weighed (heap after GC, peak RSS).
 * Prints both and baseline/this ratios: above 1.0 means this jar needs less.
 * Run: {@code bench/run-replay-bench.sh [baseline-rev] [events]}, or with jars at hand
 * {@code java -cp <bench class path> dev.slipway.bench.replay.ReplayBenchmark --jar <exec.jar>
 * [--baseline <exec.jar>] [--events 1000000] [--xmx 4g]} (see {@link ReplaySettings}).
 */
public final class ReplayBenchmark {

    private static final int NAME_COLUMN = 44;

    private ReplayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ReplaySettings settings;
        try {
            settings = ReplaySettings.parse(args);
        } catch (IllegalArgumentException invalid) {
            System.err.println(invalid.getMessage());
            System.exit(2);
            return;
        }
        List<ReplayResult> results = run(settings, System.out);
        System.exit(results.stream().anyMatch(ReplayResult::failed) ? 1 : 0);
    }

    /** Fills the log, measures the baseline (if any) and then the jar, prints the table; returns baseline first. */
    static List<ReplayResult> run(ReplaySettings settings, PrintStream out) throws Exception {
        Path work = settings.work() != null ? Files.createDirectories(settings.work())
                : Files.createTempDirectory("slipway-replay-bench");
        Path template = work.resolve("kafka-filled");
        ReplayRun.delete(template);
        FilledLog log;
        long fillStarted = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(template, freePort())) {
            log = EventLogFill.fill(kafka.bootstrapServers(),
                    new SyntheticPushes(settings.pushes(), settings.namespaces(), settings.apps(), settings.seed(),
                            OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)));
        }
        out.printf(Locale.ROOT, "event log: %d events (%d pushes of %d events, %d namespaces, %d apps), %.0f bytes per"
                        + " record, %.0f MiB, written in %.0f s%n", log.events(), log.pushIds().size(),
                SyntheticPushes.EVENTS_PER_PUSH, settings.namespaces(), settings.apps(), log.averageRecordBytes(),
                log.bytes() / 1048576.0, (System.nanoTime() - fillStarted) / 1e9);
        ReplayRun runs = new ReplayRun(settings, template, log);
        List<ReplayResult> results = new ArrayList<>();
        try {
            if (settings.baseline() != null) {
                results.add(measure(runs, settings.baselineLabel(), settings.baseline(), work, out));
            }
            results.add(measure(runs, settings.label(), settings.jar(), work, out));
        } finally {
            ReplayRun.delete(template);
        }
        print(settings, results, out);
        out.println("replica logs and GC logs in " + work);
        return results;
    }

    private static ReplayResult measure(ReplayRun runs, String label, Path jar, Path work, PrintStream out)
            throws Exception {
        out.printf("replaying into %s (%s)...%n", label, jar);
        Path folder = work.resolve("replica-" + label.replaceAll("[^A-Za-z0-9._-]", "_"));
        ReplayRun.delete(folder);
        ReplayResult result = runs.measure(label, jar, Files.createDirectories(folder));
        out.println(result.failed() ? "  failed: " + result.failure() : "  done");
        return result;
    }

    private static void print(ReplaySettings settings, List<ReplayResult> results, PrintStream out) {
        out.printf(Locale.ROOT, "%nreplay into a fresh replica, -Xmx%s, %d events; times from the process's start%n",
                settings.maxHeap(), settings.events());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + NAME_COLUMN + "s", ""));
        results.forEach(result -> header.append(String.format(Locale.ROOT, " %14s", abbreviate(result.label()))));
        if (results.size() == 2) {
            header.append(String.format(Locale.ROOT, " %14s", "baseline/this"));
        }
        out.println(header);
        row(out, results, "catch-up: ready and health UP (s)", ReplayResult::catchUp, 1);
        row(out, results, "  /actuator/health/readiness UP (s)", ReplayResult::readinessUp, 1);
        row(out, results, "  /actuator/health UP (s)", ReplayResult::healthUp, 1);
        row(out, results, "heap peak after GC (MiB)", result -> mib(result.heapPeakAfterGc()), 0);
        row(out, results, "heap after a full GC, caught up (MiB)", result -> mib(result.heapRetained()), 0);
        row(out, results, "RSS peak, VmHWM (MiB)", result -> mib(result.rssPeak()), 0);
        row(out, results, "GET /api/v1/pushes/{id} p50 (ms)",
                result -> result.pushReads() == null ? null : result.pushReads().p50(), 2);
        row(out, results, "GET /api/v1/pushes/{id} p99 (ms)",
                result -> result.pushReads() == null ? null : result.pushReads().p99(), 2);
        row(out, results, "GET /api/v1/events?namespace&limit p50 (ms)",
                result -> result.auditPages() == null ? null : result.auditPages().p50(), 2);
        row(out, results, "GET /api/v1/events?namespace&limit p99 (ms)",
                result -> result.auditPages() == null ? null : result.auditPages().p99(), 2);
        results.stream().filter(ReplayResult::failed)
                .forEach(result -> out.println(result.label() + " failed: " + result.failure()));
        out.printf(Locale.ROOT, "(%d timed push reads and %d audit pages of %d per replica, one at a time, after %d"
                + " untimed; ratios above 1.0: this needs less)%n", settings.pushReads(), settings.auditReads(),
                settings.auditLimit(), settings.warmUp());
    }

    private static void row(PrintStream out, List<ReplayResult> results, String name,
                            Function<ReplayResult, ? extends Number> value, int decimals) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + NAME_COLUMN + "s", name));
        List<Number> values = results.stream().<Number>map(value).toList();
        values.forEach(number -> line.append(String.format(Locale.ROOT, " %14s", number == null ? "-"
                : String.format(Locale.ROOT, "%." + decimals + "f", number.doubleValue()))));
        if (values.size() == 2) {
            Number baseline = values.get(0);
            Number candidate = values.get(1);
            line.append(String.format(Locale.ROOT, " %14s", baseline == null || candidate == null
                    || candidate.doubleValue() <= 0 ? "-"
                    : String.format(Locale.ROOT, "%.2fx", baseline.doubleValue() / candidate.doubleValue())));
        }
        out.println(line);
    }

    private static Double mib(Long bytes) {
        return bytes == null ? null : bytes / 1048576.0;
    }

    private static String abbreviate(String label) {
        return label.length() <= 14 ? label : label.substring(0, 14);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
