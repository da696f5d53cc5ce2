package dev.slipway.staging.pipeline;

import dev.slipway.events.BlobKeys;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageLogged;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStarted;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageStepFinished;
import dev.slipway.events.StageSucceeded;
import dev.slipway.staging.build.AppDetector;
import dev.slipway.staging.build.JibImageBuilder;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.fetch.BlobFetcher;
import dev.slipway.staging.kubernetes.KubernetesBuild;
import dev.slipway.staging.kubernetes.KubernetesStager;
import dev.slipway.staging.unpack.ArchiveUnpacker;
import dev.slipway.staging.unpack.UnsafeArchiveException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staging, as Epinio's staging job does it: fetch the blob, unpack it safely, build and push the
 * image. Takes a {@code stage.requested} event and emits what happens, in order: started, one
 * {@code stage.step} per step with its duration, then succeeded (image and digest) or failed (step,
 * reason code, message, retryable, and the request for replay). The stage id is the push id.
 */
public final class StagingPipeline {

    private static final Logger log = LoggerFactory.getLogger(StagingPipeline.class);

    private final URI source;
    private final StagingProperties properties;
    private final BlobFetcher fetcher;
    private final ArchiveUnpacker unpacker;
    private final AppDetector detector;
    private final JibImageBuilder builder;
    private final Path workRoot;
    private final Optional<KubernetesBuild> kubernetes;
    private final Map<String, ReentrantLock> appLocks = new ConcurrentHashMap<>();

    public StagingPipeline(URI source, StagingProperties properties, BlobFetcher fetcher, ArchiveUnpacker unpacker,
                           AppDetector detector, JibImageBuilder builder, Path workRoot,
                           Optional<KubernetesBuild> kubernetes) {
        this.source = source;
        this.properties = properties;
        this.fetcher = fetcher;
        this.unpacker = unpacker;
        this.detector = detector;
        this.builder = builder;
        this.workRoot = workRoot;
        this.kubernetes = kubernetes;
    }

    /** Stages a request; other event types are not staging's business and are skipped. */
    public void accept(Event<? extends EventData> event, Consumer<Event<?>> emit) {
        if (!event.is(EventType.STAGE_REQUESTED)) {
            return;
        }
        @SuppressWarnings("unchecked")
        Event<StageRequested> request = (Event<StageRequested>) event;
        // one staging per app at a time on this instance
        ReentrantLock lock = appLocks.computeIfAbsent(request.data().app().toString(), app -> new ReentrantLock());
        lock.lock();
        try {
            stage(request, emit);
        } finally {
            lock.unlock();
        }
    }

    private void stage(Event<StageRequested> request, Consumer<Event<?>> emit) {
        StageRequested data = request.data();
        String stageId = request.correlationId();
        String repository = data.app().namespace() + "-" + data.app().name();
        String builderImage = data.builderImage() != null ? data.builderImage() : properties.defaultBuilderImage();
        emit.accept(request.next(source, new StageStarted(data.blobUid(), data.app(), properties.builder(),
                builderImage)));

        Optional<JibImageBuilder.BuiltImage> existing = builder.existing(repository, stageId);
        if (existing.isPresent()) {
            // a redelivered request whose image was already pushed: announce it again, build nothing
            emit.accept(request.next(source, succeeded(data, stageId, existing.get(), null, Map.of())));
            return;
        }
        if (kubernetes.isPresent()) {
            stageInCluster(request, kubernetes.get(), builderImage, repository, emit);
            return;
        }
        Map<StageStep, Long> stepMillis = new EnumMap<>(StageStep.class);
        List<String> buildLog = new ArrayList<>();
        StageStep step = StageStep.FETCH;
        Path work = workRoot.resolve(stageId);
        try {
            Files.createDirectories(work);
            long started = System.nanoTime();
            long fetched = fetcher.fetch(BlobKeys.of(data.app(), data.blobUid()), work.resolve("source"));
            emit.accept(request.next(source, stepFinished(data, step, started, stepMillis,
                    "fetched " + fetched + " bytes")));

            step = StageStep.UNPACK;
            started = System.nanoTime();
            ArchiveUnpacker.Unpacked unpacked = unpacker.unpack(work.resolve("source"), work.resolve("app"));
            emit.accept(request.next(source, stepFinished(data, step, started, stepMillis, "unpacked "
                    + unpacked.entries() + " entries, " + unpacked.bytes() + " bytes from " + unpacked.format().wireName())));

            step = StageStep.BUILD;
            started = System.nanoTime();
            AppDetector.DetectedApp app = detector.detect(unpacked.root());
            JibImageBuilder.BuiltImage image = builder.build(app, unpacked.root(), repository, stageId, Map.of(
                    "dev.slipway.stage-id", stageId, "dev.slipway.blob-uid", data.blobUid(),
                    "dev.slipway.app", data.app().toString()), line -> {
                        log.info("[{}] {}", stageId, line);
                        buildLog.add(line);
                    });
            emit.accept(request.next(source, new StageLogged(data.blobUid(), data.app(), step, buildLog)));
            emit.accept(request.next(source, stepFinished(data, step, started, stepMillis,
                    app.detail() + " -> " + image.reference())));
            emit.accept(request.next(source, succeeded(data, stageId, image, app.kind().wireName(), stepMillis)));
        } catch (StageFailure failure) {
            if (!buildLog.isEmpty()) {
                // the builder's own words come before the failure, so a quick failure is never silent
                emit.accept(request.next(source, new StageLogged(data.blobUid(), data.app(), step, buildLog)));
            }
            emit.accept(request.next(source, failed(data, step, failure.reason(), failure.getMessage(),
                    failure.retryable())));
        } catch (UnsafeArchiveException unsafe) {
            emit.accept(request.next(source, failed(data, step, unsafe.reason(), unsafe.getMessage(), false)));
        } catch (IOException | RuntimeException e) {
            log.error("stage {} failed in {}", stageId, step, e);
            emit.accept(request.next(source, failed(data, step, ReasonCodes.BUILD_FAILED, step.wireName()
                    + " failed unexpectedly: " + e.getMessage() + "; replay the push, and report it if it recurs",
                    true)));
        } finally {
            deleteQuietly(work);
        }
    }

    /** The kubernetes builder: the Job does fetch, unpack and build; its pod reports how long each took. */
    private void stageInCluster(Event<StageRequested> request, KubernetesBuild cluster, String builderImage,
                                String repository, Consumer<Event<?>> emit) {
        StageRequested data = request.data();
        String stageId = request.correlationId();
        try {
            KubernetesStager.JobOutcome outcome = cluster.run(data.app(), data.blobUid(), stageId, builderImage,
                    repository);
            outcome.stepMillis().forEach((step, millis) -> emit.accept(request.next(source,
                    new StageStepFinished(data.blobUid(), data.app(), step, millis, "in staging Job"))));
            if (!outcome.log().isEmpty()) {
                emit.accept(request.next(source, new StageLogged(data.blobUid(), data.app(), StageStep.BUILD,
                        outcome.log())));
            }
            JibImageBuilder.BuiltImage image = builder.existing(repository, stageId).orElseThrow(() ->
                    new StageFailure(ReasonCodes.BUILD_FAILED, "the staging Job succeeded but the registry has no "
                            + repository + ":" + stageId, true));
            emit.accept(request.next(source, succeeded(data, stageId, image, "buildpacks", outcome.stepMillis())));
        } catch (StageFailure failure) {
            if (!failure.log().isEmpty()) {
                emit.accept(request.next(source, new StageLogged(data.blobUid(), data.app(), StageStep.BUILD,
                        failure.log())));
            }
            emit.accept(request.next(source, failed(data, StageStep.BUILD, failure.reason(), failure.getMessage(),
                    failure.retryable())));
        }
    }

    private static StageStepFinished stepFinished(StageRequested data, StageStep step, long startedNanos,
                                                  Map<StageStep, Long> stepMillis, String detail) {
        long millis = (System.nanoTime() - startedNanos) / 1_000_000;
        stepMillis.put(step, millis);
        return new StageStepFinished(data.blobUid(), data.app(), step, millis, detail);
    }

    private static StageSucceeded succeeded(StageRequested data, String stageId, JibImageBuilder.BuiltImage image,
                                            String kind, Map<StageStep, Long> stepMillis) {
        return new StageSucceeded(data.blobUid(), data.app(), stageId, image.reference(), image.digest(), kind,
                stepMillis, data.settings());
    }

    private static StageFailed failed(StageRequested data, StageStep step, String reason, String message,
                                      boolean retryable) {
        return new StageFailed(data.blobUid(), data.app(), step, new Failure(reason, message, retryable), data);
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("could not remove work folder {}: {}", folder, e.getMessage());
        }
    }
}
