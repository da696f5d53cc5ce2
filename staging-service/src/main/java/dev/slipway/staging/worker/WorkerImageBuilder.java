package dev.slipway.staging.worker;

import dev.slipway.events.BlobKeys;
import dev.slipway.events.BuildSettings;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.BuildInputs;
import dev.slipway.staging.build.BuildOrder;
import dev.slipway.staging.build.BuildOutcome;
import dev.slipway.staging.build.BuildProgress;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.ImageBuilder;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.build.podman.BuildContainerSettings;
import dev.slipway.staging.fetch.BlobStore;
import dev.slipway.staging.unpack.UnpackLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local builder: the service fetches the source (trusted code, a stream from the store), then
 * a stage worker unpacks and builds it behind its walls. The stage's folder is removed when it ends.
 * The worker's order carries what the push asked of its build: the build env opened (it reaches the
 * worker on its standard input only), no-cache, the Dockerfile and the app's cache folder
 * ({@link BuildCaches}). What the build prints is told while it runs ({@link LiveStageLog}).
 */
public final class WorkerImageBuilder implements ImageBuilder {

    private static final Logger log = LoggerFactory.getLogger(WorkerImageBuilder.class);
    /** The longest a build's line waits before it is told. */
    static final Duration LOG_WAIT = Duration.ofMillis(500);
    private static final ScheduledExecutorService LOG_TIMER = Executors.newSingleThreadScheduledExecutor(run -> {
        Thread thread = new Thread(run, "stage-log-batches");
        thread.setDaemon(true);
        return thread;
    });

    private final BlobStore blobs;
    private final StageRunner workers;
    private final UnpackLimits unpackLimits;
    private final BuildProperties build;
    private final WorkerSettings settings;
    private final BuildCaches caches;
    private final BuildEnvOpener envOpener;
    private final BuildContainerSettings container;
    private final Duration logWait;
    private static final String STAGES = ".stages-";

    private final Path stages;

    public WorkerImageBuilder(BlobStore blobs, StageWorkers workers, UnpackLimits unpackLimits, BuildProperties build,
                              WorkerSettings settings, Path workRoot, BuildCaches caches, BuildEnvOpener envOpener,
                              BuildContainerSettings container) {
        this(blobs, workers, unpackLimits, build, settings, workRoot, caches, envOpener, container,
                LOG_WAIT);
    }

    WorkerImageBuilder(BlobStore blobs, StageRunner workers, UnpackLimits unpackLimits, BuildProperties build,
                       WorkerSettings settings, Path workRoot, BuildCaches caches, BuildEnvOpener envOpener,
                       BuildContainerSettings container, Duration logWait) {
        this.container = container;
        this.blobs = blobs;
        this.workers = workers;
        this.unpackLimits = unpackLimits;
        this.build = build;
        this.settings = settings;
        this.caches = caches;
        this.envOpener = envOpener;
        this.logWait = logWait;
        // this process's stages, apart from those of other services sharing the folder
        this.stages = workRoot.resolve(STAGES + ProcessHandle.current().pid());
        // stage folders of a service that was killed mid-stage
        Folders.sweep(workRoot, path -> Folders.leftByDeadProcess(path, STAGES));
    }

    @Override
    public BuildOutcome build(BuildOrder order, BuildProgress progress) {
        // a folder per attempt: a redelivered stage never meets what an earlier attempt left
        Path work = stages.resolve(order.stageId() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        LiveStageLog stageLog = new LiveStageLog(progress, LOG_TIMER, logWait);
        boolean cacheUsed = false;
        try {
            Files.createDirectories(work);
            long started = System.nanoTime();
            Path archive = work.resolve("source");
            long fetched = blobs.fetch(BlobKeys.of(order.app(), order.blobUid()), archive);
            progress.stepFinished(StageStep.FETCH, (System.nanoTime() - started) / 1_000_000,
                    "fetched " + fetched + " bytes");

            BuildInputs inputs;
            try {
                BuildSettings asked = order.build();
                Map<String, String> env = envOpener.open(asked);
                cacheUsed = true;
                inputs = new BuildInputs(env, asked.noCache(), asked.dockerfile(),
                        caches.prepare(order.app(), asked.noCache()).toString());
            } catch (StageFailure failure) {
                return BuildOutcome.Failed.of(StageStep.BUILD, failure);
            }
            WorkerMessage last = workers.run(order.stageId(), new WorkOrder(archive.toString(), work.toString(),
                    order.image(), order.labels(), unpackLimits, build, settings.maxFileSize().toBytes(), inputs,
                    container), message -> {
                        if (message instanceof WorkerMessage.Logged logged) {
                            log.debug("[{}] {}", order.stageId(), logged.line());
                            stageLog.add(logged.step(), logged.line());
                        } else if (message instanceof WorkerMessage.StepFinished finished) {
                            stageLog.stepFinished(finished.step(), finished.millis(), finished.detail());
                        }
                    });
            if (last instanceof WorkerMessage.Built built) {
                stageLog.endStep(StageStep.BUILD);
                return new BuildOutcome.Built(built.reference(), built.digest(), built.appKind());
            }
            WorkerMessage.Failed failed = (WorkerMessage.Failed) last;
            // the builder's own words come before the failure, so a quick failure is never silent
            stageLog.endStep(failed.step());
            return new BuildOutcome.Failed(failed.step(), failed.reason(), failed.message(), failed.retryable());
        } catch (StageFailure failure) {
            return BuildOutcome.Failed.of(StageStep.FETCH, failure);
        } catch (IOException e) {
            return new BuildOutcome.Failed(StageStep.FETCH, dev.slipway.events.ReasonCodes.BUILD_FAILED,
                    "preparing the stage's folder failed: " + e.getMessage() + "; check staging-service's disk", true);
        } finally {
            stageLog.close();
            Folders.deleteQuietly(work);
            if (cacheUsed) {
                trimCache(order);
            }
        }
    }

    private void trimCache(BuildOrder order) {
        try {
            caches.trim(order.app());
        } catch (RuntimeException e) {
            log.warn("could not check the size of the build cache of {}: {}", order.app(), e.getMessage());
        }
    }

    /** Runs a stage's order in a worker: {@link StageWorkers}, or a stand-in in tests. */
    interface StageRunner {
        WorkerMessage run(String stage, WorkOrder order, Consumer<WorkerMessage> progress);
    }
}
