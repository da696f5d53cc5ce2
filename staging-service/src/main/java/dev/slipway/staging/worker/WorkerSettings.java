package dev.slipway.staging.worker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The walls of a stage worker ({@code slipway.staging.worker.*}): each stage unpacks and builds in
 * a child JVM of its own with these limits, and passing one ends the stage with a reason code that
 * names it. How many files and bytes an archive may unpack to is {@code slipway.staging.unpack.*}.
 *
 * @param memory      the worker's Java heap ({@code -Xmx}); out of it: {@code STAGE_MEMORY_LIMIT}
 * @param cpuTime     CPU time one stage may use, all threads (RLIMIT_CPU of the worker, moved on before each
 *                    stage); past it: {@code STAGE_CPU_LIMIT}
 * @param timeout     wall-clock time from the order to the outcome; past it the worker is killed: {@code STAGE_TIMEOUT}
 * @param maxFileSize the largest file the worker may write (RLIMIT_FSIZE); past it: {@code STAGE_DISK_LIMIT}
 * @param openFiles   files the worker may hold open at once (RLIMIT_NOFILE)
 * @param spares      idle workers kept started and warm, so a stage does not wait for a JVM to start
 * @param stagesPerWorker stages one worker runs before it is replaced; a failed stage always
 *                    replaces it
 * @param javaOptions more JVM options for the worker, separated by spaces
 * @param classPath   the worker's class path; empty for this service's own (its executable jar)
 */
@ConfigurationProperties("slipway.staging.worker")
public record WorkerSettings(@DefaultValue("384MB") DataSize memory,
                             @DefaultValue("5m") Duration cpuTime,
                             @DefaultValue("10m") Duration timeout,
                             @DefaultValue("2GB") DataSize maxFileSize,
                             @DefaultValue("1024") int openFiles,
                             @DefaultValue("1") int spares,
                             @DefaultValue("25") int stagesPerWorker,
                             @DefaultValue("") String javaOptions,
                             @DefaultValue("") String classPath) {

    public WorkerSettings {
        if (memory.toMegabytes() < 64) {
            throw new IllegalArgumentException("slipway.staging.worker.memory must be at least 64MB");
        }
        if (stagesPerWorker < 1) {
            throw new IllegalArgumentException("slipway.staging.worker.stages-per-worker must be at least 1");
        }
        if (spares < 0) {
            throw new IllegalArgumentException("slipway.staging.worker.spares must not be negative");
        }
    }
}
