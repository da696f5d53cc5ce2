package dev.slipway.bench.replay;

import dev.slipway.bench.replay.EventLogFill.FilledLog;
import dev.slipway.embedded.EmbeddedKafka;
import dev.slipway.testsupport.s3.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * One measured replica: a copy of the filled broker's data folder (so no run sees the consumer
 * groups, changelog topics or offsets of another), a fresh S3 server, then the replica from start
 * to caught up, the timed reads, a full collection, and its memory.
 */
final class ReplayRun {

    static final List<String> READY_PATHS = List.of("/actuator/health/readiness", "/actuator/health");

    private final ReplaySettings settings;
    private final Path kafkaTemplate;
    private final FilledLog log;

    ReplayRun(ReplaySettings settings, Path kafkaTemplate, FilledLog log) {
        this.settings = settings;
        this.kafkaTemplate = kafkaTemplate;
        this.log = log;
    }

    ReplayResult measure(String label, Path jar, Path work) throws Exception {
        Path kafkaData = work.resolve("kafka");
        dev.slipway.bench.Folders.copy(kafkaTemplate, kafkaData);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(kafkaData, ReplayBenchmark.freePort());
             S3Server s3 = S3Server.inMemory();
             Replica replica = Replica.start(jar, settings.maxHeap(), kafka.bootstrapServers(), s3, work)) {
            Replica.Ready ready = replica.awaitUp(READY_PATHS, settings.timeout());
            if (ready.failure() != null) {
                return failed(label, ready, replica, work, ready.failure() + outOfMemory(replica));
            }
            ApiTimings timings = ApiTimings.as(replica, Replica.ADMIN, Replica.PASSWORD, settings.seed());
            Percentiles pushes;
            Percentiles audit;
            try {
                pushes = timings.pushes(log.pushIds(), settings.warmUp(), settings.pushReads(),
                        SyntheticPushes.EVENTS_PER_PUSH);
                audit = timings.auditPages(log.namespaces(), settings.auditLimit(), Math.min(settings.warmUp(), 20),
                        settings.auditReads());
            } catch (IOException | IllegalStateException e) {
                return failed(label, ready, replica, work, "reads failed: " + e.getMessage() + outOfMemory(replica));
            }
            long rss = replica.rssPeak();
            Long retained = null;
            if (replica.fullGc()) {
                retained = awaitRequestedGc(work);
            }
            GcLog gc = GcLog.read(Replica.gcLog(work));
            return new ReplayResult(label, null, ready.seconds()[0], ready.seconds()[1], boxed(gc.peakAfterGc()),
                    retained, Math.max(rss, replica.rssPeak()), gc.pauses(), pushes, audit);
        } finally {
            delete(kafkaData);
        }
    }

    private static ReplayResult failed(String label, Replica.Ready ready, Replica replica, Path work, String failure)
            throws IOException {
        GcLog gc = GcLog.read(Replica.gcLog(work));
        return new ReplayResult(label, failure, ready.seconds()[0], ready.seconds()[1], boxed(gc.peakAfterGc()), null,
                replica.rssPeak(), gc.pauses(), null, null);
    }

    private static String outOfMemory(Replica replica) throws IOException {
        try (Stream<String> lines = Files.lines(replica.log())) {
            return lines.anyMatch(line -> line.contains("OutOfMemoryError")) ? " (OutOfMemoryError in its log)" : "";
        }
    }

    /** The GC log is written by the JVM as it goes: give the requested collection's line a moment to appear. */
    private static Long awaitRequestedGc(Path work) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong after = GcLog.read(Replica.gcLog(work)).afterLastRequestedGc();
            if (after.isPresent()) {
                return after.getAsLong();
            }
            Thread.sleep(100);
        }
        return null;
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
