package dev.slipway.staging.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageLogged;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageSucceeded;
import dev.slipway.staging.build.BuildOrder;
import dev.slipway.staging.build.BuildOutcome;
import dev.slipway.staging.build.BuildProgress;
import dev.slipway.staging.build.ImageBuilder;
import dev.slipway.staging.registry.ImageRegistry;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The staging pipeline over plain fakes of its ports: what it emits, in which order, with no broker. */
class StagingPipelineTest {

    private static final URI SOURCE = URI.create("/slipway/staging-service");
    private static final AppRef APP = new AppRef("team-a", "shop");

    private final Map<String, String> registryImages = new HashMap<>();
    private final List<BuildOrder> orders = new ArrayList<>();
    private final List<Event<?>> emitted = new ArrayList<>();
    private ImageBuilder builder = (order, progress) -> {
        orders.add(order);
        progress.stepFinished(StageStep.FETCH, 3, "fetched 10 bytes");
        progress.stepFinished(StageStep.UNPACK, 4, "unpacked 1 entries");
        progress.logged(StageStep.BUILD, List.of("pushing"));
        progress.stepFinished(StageStep.BUILD, 5, "static site");
        registryImages.put(order.image(), "sha256:abc");
        return new BuildOutcome.Built(order.image(), "sha256:abc", "static");
    };
    private final ImageRegistry registry = image -> Optional.ofNullable(registryImages.get(image));

    private StagingPipeline pipeline() {
        return new StagingPipeline(SOURCE, "jib", "paketo:1", "registry.test:5000", registry,
                (order, progress) -> builder.build(order, progress));
    }

    private static Event<StageRequested> request() {
        return Event.start(URI.create("/slipway/upload-service"), new StageRequested(UUID.randomUUID().toString(), APP,
                null, AppSettings.defaults(), null));
    }

    @Test
    void aBuiltImageIsAnnouncedAfterEachStepAndTheLogWithItsNameFromTheContract() {
        Event<StageRequested> request = request();

        pipeline().accept(request, emitted::add);

        assertThat(emitted).extracting(Event::type).containsExactly(EventType.STAGE_STARTED, EventType.STAGE_STEP,
                EventType.STAGE_STEP, EventType.STAGE_LOG, EventType.STAGE_STEP, EventType.STAGE_SUCCEEDED);
        StageSucceeded succeeded = (StageSucceeded) emitted.get(5).data();
        assertThat(succeeded.image()).isEqualTo("registry.test:5000/team-a-shop:" + request.id());
        assertThat(succeeded.stepMillis()).containsEntry(StageStep.FETCH, 3L).containsEntry(StageStep.BUILD, 5L);
        assertThat(succeeded.appKind()).isEqualTo("static");
        assertThat(orders.get(0).labels()).containsEntry("dev.slipway.stage-id", request.id())
                .containsEntry("dev.slipway.blob-uid", request.data().blobUid());
        assertThat(emitted).allSatisfy(event -> assertThat(event.correlationId()).isEqualTo(request.id()));
    }

    @Test
    void aRedeliveredRequestWhoseImageIsInTheRegistryIsAnsweredWithoutBuilding() {
        Event<StageRequested> request = request();
        pipeline().accept(request, emitted::add);
        emitted.clear();

        pipeline().accept(request, emitted::add);

        assertThat(orders).hasSize(1);
        assertThat(emitted).extracting(Event::type).containsExactly(EventType.STAGE_STARTED,
                EventType.STAGE_SUCCEEDED);
        assertThat(((StageSucceeded) emitted.get(1).data()).digest()).isEqualTo("sha256:abc");
    }

    @Test
    void aFailedBuildIsAFailedStageCarryingTheRequestForReplay() {
        builder = (order, progress) -> {
            progress.stepFinished(StageStep.FETCH, 1, "fetched");
            progress.logged(StageStep.UNPACK, List.of("worker: Terminating due to java.lang.OutOfMemoryError"));
            return new BuildOutcome.Failed(StageStep.UNPACK, ReasonCodes.STAGE_MEMORY_LIMIT, "out of memory", false);
        };
        Event<StageRequested> request = request();

        pipeline().accept(request, emitted::add);

        assertThat(emitted).extracting(Event::type).containsExactly(EventType.STAGE_STARTED, EventType.STAGE_STEP,
                EventType.STAGE_LOG, EventType.STAGE_FAILED);
        assertThat(((StageLogged) emitted.get(2).data()).lines()).singleElement().asString().contains("OutOfMemory");
        StageFailed failed = (StageFailed) emitted.get(3).data();
        assertThat(failed.step()).isEqualTo(StageStep.UNPACK);
        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.STAGE_MEMORY_LIMIT);
        assertThat(failed.failure().retryable()).isFalse();
        assertThat(failed.request()).isEqualTo(request.data());
    }

    @Test
    void aBuilderThatThrowsStillEndsTheStageWithAFailure() {
        builder = (order, progress) -> {
            throw new IllegalStateException("bug");
        };
        Event<StageRequested> request = request();

        pipeline().accept(request, emitted::add);

        StageFailed failed = (StageFailed) emitted.get(emitted.size() - 1).data();
        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
        assertThat(failed.failure().message()).contains("bug", "replay");
    }

    @Test
    void eventsOtherThanStageRequestsAreNotStagingsBusiness() {
        Event<StageRequested> request = request();
        Event<StageFailed> unrelated = request.next(SOURCE, new StageFailed(request.data().blobUid(), APP,
                StageStep.FETCH, new dev.slipway.events.Failure("X", "y", false), request.data()));

        pipeline().accept(unrelated, emitted::add);

        assertThat(emitted).isEmpty();
        assertThat(orders).isEmpty();
    }
}
