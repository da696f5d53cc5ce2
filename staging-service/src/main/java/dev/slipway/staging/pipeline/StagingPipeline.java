package dev.slipway.staging.pipeline;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.ImageNames;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageLogged;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStarted;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageStepFinished;
import dev.slipway.events.StageSucceeded;
import dev.slipway.staging.build.BuildOrder;
import dev.slipway.staging.build.BuildOutcome;
import dev.slipway.staging.build.BuildProgress;
import dev.slipway.staging.build.ImageBuilder;
import dev.slipway.staging.registry.AppImageRemoval;
import dev.slipway.staging.registry.ImageRegistry;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staging, as Epinio's staging job does it, over two ports: the registry (is the image already
 * there?) and a builder (fetch, unpack, build, push, behind its own walls). Takes a
 * {@code stage.requested} event and emits what happens, in order: started, one {@code stage.step}
 * per step with its duration, the build's log, then succeeded (image and digest) or failed (step,
 * reason code, message, retryable, and the request for replay). The stage id is the push id.
 */
public final class StagingPipeline {

    private static final Logger log = LoggerFactory.getLogger(StagingPipeline.class);

    private final URI source;
    private final String builderName;
    private final String defaultBuilderImage;
    private final String registryHost;
    private final ImageRegistry registry;
    private final ImageBuilder builder;
    private final Map<String, ReentrantLock> appLocks = new ConcurrentHashMap<>();

    public StagingPipeline(URI source, String builderName, String defaultBuilderImage, String registryHost,
                           ImageRegistry registry, ImageBuilder builder) {
        this.source = source;
        this.builderName = builderName;
        this.defaultBuilderImage = defaultBuilderImage;
        this.registryHost = registryHost;
        this.registry = registry;
        this.builder = builder;
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
        String builderImage = data.builderImage() != null ? data.builderImage() : defaultBuilderImage;
        emit.accept(request.next(source, new StageStarted(data.blobUid(), data.app(), builderName, builderImage)));

        String image = ImageNames.image(registryHost, data.app(), stageId);
        Optional<String> existing = registry.digestOf(image);
        if (existing.isPresent()) {
            // a redelivered request whose image was already pushed: announce it again, build nothing
            emit.accept(request.next(source, new StageSucceeded(data.blobUid(), data.app(), stageId, image,
                    existing.get(), null, Map.of(), data.settings())));
            return;
        }
        Map<StageStep, Long> stepMillis = new EnumMap<>(StageStep.class);
        BuildOrder order = new BuildOrder(data.app(), data.blobUid(), stageId, builderImage, image, Map.of(
                "dev.slipway.stage-id", stageId, "dev.slipway.blob-uid", data.blobUid(),
                AppImageRemoval.APP_LABEL, data.app().toString()), data.build());
        BuildOutcome outcome;
        try {
            outcome = builder.build(order, new BuildProgress() {
                @Override
                public void stepFinished(StageStep step, long millis, String detail) {
                    stepMillis.put(step, millis);
                    emit.accept(request.next(source, new StageStepFinished(data.blobUid(), data.app(), step, millis,
                            detail)));
                }

                @Override
                public void logged(StageStep step, List<String> lines) {
                    emit.accept(request.next(source, new StageLogged(data.blobUid(), data.app(), step, lines)));
                }
            });
        } catch (RuntimeException e) {
            log.error("stage {} failed unexpectedly", stageId, e);
            outcome = new BuildOutcome.Failed(StageStep.BUILD, ReasonCodes.BUILD_FAILED, "staging failed "
                    + "unexpectedly: " + e.getMessage() + "; replay the push, and report it if it recurs", true);
        }
        if (outcome instanceof BuildOutcome.Built built) {
            emit.accept(request.next(source, new StageSucceeded(data.blobUid(), data.app(), stageId, built.reference(),
                    built.digest(), built.appKind(), stepMillis, data.settings())));
        } else {
            BuildOutcome.Failed failed = (BuildOutcome.Failed) outcome;
            emit.accept(request.next(source, StageFailed.of(data, failed.step(),
                    new Failure(failed.reason(), failed.message(), failed.retryable()))));
        }
    }
}
