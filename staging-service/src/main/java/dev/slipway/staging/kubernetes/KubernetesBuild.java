package dev.slipway.staging.kubernetes;

import dev.slipway.events.AppRef;
import dev.slipway.events.BlobKeys;
import dev.slipway.events.BuilderImages;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.spring.S3Settings;
import dev.slipway.staging.build.BuildOrder;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.StageFailure;

/** The {@code kubernetes} builder: one stage as one Job, from the request to the Job's outcome. */
public class KubernetesBuild {

    private final KubernetesStager stager;
    private final KubernetesBuildProperties properties;
    private final BuildProperties build;
    private final S3Settings s3;
    private final BuilderImages allowed;

    public KubernetesBuild(KubernetesStager stager, KubernetesBuildProperties properties, BuildProperties build,
                           S3Settings s3, BuilderImages allowed) {
        this.stager = stager;
        this.properties = properties;
        this.build = build;
        this.s3 = s3;
        this.allowed = allowed;
    }

    /**
     * Refuses a builder image off the allow-list before anything reaches the cluster: the API refuses
     * it too, but an event on the log may come from elsewhere (a replay, a producer with broker access).
     */
    public KubernetesStager.JobOutcome run(BuildOrder order) throws StageFailure {
        java.util.Optional<String> refusal = allowed.refusal(order.builderImage());
        if (refusal.isPresent()) {
            throw new StageFailure(ReasonCodes.BUILDER_IMAGE_NOT_ALLOWED, refusal.get(), false);
        }
        AppRef app = order.app();
        return stager.run(StagingJobs.job(app, order.stageId(), BlobKeys.of(app, order.blobUid()), order.blobUid(),
                order.builderImage(), order.image(), build.registry(), build.insecure(), s3, properties));
    }
}
