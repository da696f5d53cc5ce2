package dev.slipway.staging.worker;

import dev.slipway.events.BlobKeys;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.BuildOrder;
import dev.slipway.staging.build.BuildOutcome;
import dev.slipway.staging.build.BuildProgress;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.ImageBuilder;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.build.dockerfile.DockerfileBuildProperties;
import dev.slipway.staging.build.language.BuildContainerSettings;
import dev.slipway.staging.fetch.BlobStore;
import dev.slipway.staging.unpack.UnpackLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local builder: the service fetches the source (trusted code, a stream from the store), then
 * a stage worker unpacks and builds it behind its walls. The stage's folder is removed when it ends.
 */
public final class WorkerImageBuilder implements ImageBuilder {

    private static final Logger log = LoggerFactory.getLogger(WorkerImageBuilder.class);

    private final BlobStore blobs;
    private final StageWorkers workers;
    private final UnpackLimits unpackLimits;
    private final BuildProperties build;
    private final WorkerSettings settings;
    private final BuildContainerSettings container;
    private final DockerfileBuildProperties dockerfileBuild;
    private static final String STAGES = ".stages-";

    private final Path stages;

    public WorkerImageBuilder(BlobStore blobs, StageWorkers workers, UnpackLimits unpackLimits, BuildProperties build,
                              WorkerSettings settings, Path workRoot) {
        this(blobs, workers, unpackLimits, build, settings, workRoot, BuildContainerSettings.DEFAULTS,
                DockerfileBuildProperties.DEFAULTS);
    }

    public WorkerImageBuilder(BlobStore blobs, StageWorkers workers, UnpackLimits unpackLimits, BuildProperties build,
                              WorkerSettings settings, Path workRoot, BuildContainerSettings container) {
        this(blobs, workers, unpackLimits, build, settings, workRoot, container, DockerfileBuildProperties.DEFAULTS);
    }

    public WorkerImageBuilder(BlobStore blobs, StageWorkers workers, UnpackLimits unpackLimits, BuildProperties build,
                              WorkerSettings settings, Path workRoot, DockerfileBuildProperties dockerfileBuild) {
        this(blobs, workers, unpackLimits, build, settings, workRoot, BuildContainerSettings.DEFAULTS, dockerfileBuild);
    }

    public WorkerImageBuilder(BlobStore blobs, StageWorkers workers, UnpackLimits unpackLimits, BuildProperties build,
                              WorkerSettings settings, Path workRoot, BuildContainerSettings container,
                              DockerfileBuildProperties dockerfileBuild) {
        this.container = container;
        this.dockerfileBuild = dockerfileBuild;
        this.blobs = blobs;
        this.workers = workers;
        this.unpackLimits = unpackLimits;
        this.build = build;
        this.settings = settings;
        // this process's stages, apart from those of other services sharing the folder
        this.stages = workRoot.resolve(STAGES + ProcessHandle.current().pid());
        // stage folders of a service that was killed mid-stage
        Folders.sweep(workRoot, path -> Folders.leftByDeadProcess(path, STAGES));
    }

    @Override
    public BuildOutcome build(BuildOrder order, BuildProgress progress) {
        // a folder per attempt: a redelivered stage never meets what an earlier attempt left
        Path work = stages.resolve(order.stageId() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectories(work);
            long started = System.nanoTime();
            Path archive = work.resolve("source");
            long fetched = blobs.fetch(BlobKeys.of(order.app(), order.blobUid()), archive);
            progress.stepFinished(StageStep.FETCH, (System.nanoTime() - started) / 1_000_000,
                    "fetched " + fetched + " bytes");

            StageLog stageLog = new StageLog(progress);
            WorkerMessage last = workers.run(order.stageId(), new WorkOrder(archive.toString(), work.toString(),
                    order.image(), order.labels(), unpackLimits, build, settings.maxFileSize().toBytes(), null, container,
                    dockerfileBuild), message -> {
                        if (message instanceof WorkerMessage.Logged logged) {
                            log.info("[{}] {}", order.stageId(), logged.line());
                            stageLog.add(logged);
                        } else if (message instanceof WorkerMessage.StepFinished finished) {
                            stageLog.flush(finished.step());
                            progress.stepFinished(finished.step(), finished.millis(), finished.detail());
                        }
                    });
            if (last instanceof WorkerMessage.Built built) {
                stageLog.flush(StageStep.BUILD);
                return new BuildOutcome.Built(built.reference(), built.digest(), built.appKind());
            }
            WorkerMessage.Failed failed = (WorkerMessage.Failed) last;
            // the builder's own words come before the failure, so a quick failure is never silent
            stageLog.flush(failed.step());
            return new BuildOutcome.Failed(failed.step(), failed.reason(), failed.message(), failed.retryable());
        } catch (StageFailure failure) {
            return BuildOutcome.Failed.of(StageStep.FETCH, failure);
        } catch (IOException e) {
            return new BuildOutcome.Failed(StageStep.FETCH, dev.slipway.events.ReasonCodes.BUILD_FAILED,
                    "preparing the stage's folder failed: " + e.getMessage() + "; check staging-service's disk", true);
        } finally {
            Folders.deleteQuietly(work);
        }
    }

    /**
     * Log lines kept until their step ends, then told as one batch; capped, so one stage's log
     * always fits in one event on the log.
     */
    private static final class StageLog {
        static final int MAX_LINES = 400;
        static final int MAX_LINE_CHARS = 1000;
        private final BuildProgress progress;
        private final List<String> lines = new ArrayList<>();
        private int dropped;

        StageLog(BuildProgress progress) {
            this.progress = progress;
        }

        void add(WorkerMessage.Logged logged) {
            if (lines.size() >= MAX_LINES) {
                dropped++;
                return;
            }
            String line = logged.line();
            lines.add(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line);
        }

        void flush(StageStep step) {
            if (dropped > 0) {
                lines.add("(" + dropped + " more lines left out)");
                dropped = 0;
            }
            if (!lines.isEmpty()) {
                progress.logged(step, List.copyOf(lines));
                lines.clear();
            }
        }
    }
}
