package dev.slipway.staging.kubernetes;

import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.BuildOrder;
import dev.slipway.staging.build.BuildOutcome;
import dev.slipway.staging.build.BuildProgress;
import dev.slipway.staging.build.ImageBuilder;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.registry.ImageRegistry;
import dev.slipway.staging.worker.LiveStageLog;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code kubernetes} builder: a Job per stage fetches, unpacks and builds in its own pod (the
 * pod is the wall), what its build containers print is told while they run (in batches, as a local
 * build's), its pod reports how long each step took, and the image is then looked up in the registry
 * the Job pushed to.
 */
public final class KubernetesJobBuilder implements ImageBuilder {

    /** The longest a build's line waits before it is told. */
    static final Duration LOG_WAIT = Duration.ofMillis(500);
    private static final ScheduledExecutorService LOG_TIMER = Executors.newSingleThreadScheduledExecutor(run -> {
        Thread thread = new Thread(run, "staging-job-log-batches");
        thread.setDaemon(true);
        return thread;
    });

    private final KubernetesBuild cluster;
    private final ImageRegistry registry;

    public KubernetesJobBuilder(KubernetesBuild cluster, ImageRegistry registry) {
        this.cluster = cluster;
        this.registry = registry;
    }

    @Override
    public BuildOutcome build(BuildOrder order, BuildProgress progress) {
        try (LiveStageLog stageLog = new LiveStageLog(progress, LOG_TIMER, LOG_WAIT)) {
            try {
                KubernetesBuild.Built built = cluster.run(order, line -> stageLog.add(StageStep.BUILD, line));
                stageLog.endStep(StageStep.BUILD);
                built.outcome().stepMillis().forEach((step, millis) -> stageLog.stepFinished(step, millis,
                        "in staging Job"));
                return registry.digestOf(order.image())
                        .<BuildOutcome>map(digest -> new BuildOutcome.Built(order.image(), digest, built.appKind()))
                        .orElseGet(() -> new BuildOutcome.Failed(StageStep.BUILD, ReasonCodes.BUILD_FAILED, "the "
                                + "staging Job succeeded but the registry has no " + order.image(), true));
            } catch (StageFailure failure) {
                // the build's own words come before the failure, so a quick failure is never silent
                stageLog.endStep(StageStep.BUILD);
                return BuildOutcome.Failed.of(StageStep.BUILD, failure);
            }
        }
    }
}
