package dev.slipway.staging.kubernetes;

import dev.slipway.events.AppRef;
import dev.slipway.events.BlobKeys;
import dev.slipway.events.spring.S3Settings;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.StageFailure;

/** The {@code kubernetes} builder: one stage as one Job, from the request to the Job's outcome. */
public class KubernetesBuild {

    private final KubernetesStager stager;
    private final KubernetesBuildProperties properties;
    private final BuildProperties build;
    private final S3Settings s3;

    public KubernetesBuild(KubernetesStager stager, KubernetesBuildProperties properties, BuildProperties build,
                           S3Settings s3) {
        this.stager = stager;
        this.properties = properties;
        this.build = build;
        this.s3 = s3;
    }

    public KubernetesStager.JobOutcome run(AppRef app, String blobUid, String stageId, String builderImage,
                                           String repository) throws StageFailure {
        return stager.run(StagingJobs.job(app, stageId, BlobKeys.of(app, blobUid), blobUid, builderImage,
                build.registry() + "/" + repository + ":" + stageId, build.registry(), build.insecure(), s3,
                properties));
    }
}
