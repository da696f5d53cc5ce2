package dev.slipway.staging.kubernetes;

import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageStep;
import dev.slipway.staging.build.BuildOrder;
import dev.slipway.staging.build.BuildOutcome;
import dev.slipway.staging.build.BuildProgress;
import dev.slipway.staging.build.ImageBuilder;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.registry.ImageRegistry;

/**
 * The {@code kubernetes} builder: a Job per stage fetches, unpacks and builds in its own pod (the
 * pod is the wall), its pod reports how long each step took, and the image is then looked up in
 * the registry the Job pushed to.
 */
public final class KubernetesJobBuilder implements ImageBuilder {

    private final KubernetesBuild cluster;
    private final ImageRegistry registry;

    public KubernetesJobBuilder(KubernetesBuild cluster, ImageRegistry registry) {
        this.cluster = cluster;
        this.registry = registry;
    }

    @Override
    public BuildOutcome build(BuildOrder order, BuildProgress progress) {
        try {
            KubernetesStager.JobOutcome outcome = cluster.run(order);
            outcome.stepMillis().forEach((step, millis) -> progress.stepFinished(step, millis, "in staging Job"));
            if (!outcome.log().isEmpty()) {
                progress.logged(StageStep.BUILD, outcome.log());
            }
            return registry.digestOf(order.image())
                    .<BuildOutcome>map(digest -> new BuildOutcome.Built(order.image(), digest, "buildpacks"))
                    .orElseGet(() -> new BuildOutcome.Failed(StageStep.BUILD, ReasonCodes.BUILD_FAILED, "the staging "
                            + "Job succeeded but the registry has no " + order.image(), true));
        } catch (StageFailure failure) {
            if (!failure.log().isEmpty()) {
                progress.logged(StageStep.BUILD, failure.log());
            }
            return BuildOutcome.Failed.of(StageStep.BUILD, failure);
        }
    }
}
