package dev.slipway.staging.kubernetes;

import dev.slipway.events.AppRef;
import dev.slipway.events.BlobKeys;
import dev.slipway.events.BuildSettings;
import dev.slipway.events.BuilderImages;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.spring.S3Settings;
import dev.slipway.staging.build.AppKind;
import dev.slipway.staging.build.BuildOrder;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.Dockerfiles;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.worker.BuildEnvOpener;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@code kubernetes} builder: one stage as one Job, from the request to the Job's outcome. A push that
 * names a Dockerfile is built by a Kaniko Job; any other by a buildpacks Job, whose unpack step stops it
 * when the source holds a {@code Dockerfile} at its top: the stage then goes on as a Kaniko Job. The
 * source is looked at only inside the Jobs, never in staging's JVM.
 */
public class KubernetesBuild {

    private final KubernetesStager stager;
    private final KubernetesBuildProperties properties;
    private final BuildProperties build;
    private final S3Settings s3;
    private final BuilderImages allowed;
    private final BuildEnvOpener envOpener;
    private final BuildEnvSecrets secrets;

    public KubernetesBuild(KubernetesStager stager, KubernetesBuildProperties properties, BuildProperties build,
                           S3Settings s3, BuilderImages allowed, BuildEnvOpener envOpener) {
        this.stager = stager;
        this.properties = properties;
        this.build = build;
        this.s3 = s3;
        this.allowed = allowed;
        this.envOpener = envOpener;
        this.secrets = new BuildEnvSecrets(stager.client(), properties.namespace());
    }

    /** The app kind of an image Cloud Native Buildpacks built (which language it was, the buildpacks knew). */
    public static final String BUILDPACKS = "buildpacks";

    /** What a Job built, and how: {@code buildpacks} or {@code dockerfile}. */
    public record Built(KubernetesStager.JobOutcome outcome, String appKind) {
    }

    /**
     * Refuses a builder image off the allow-list before anything reaches the cluster: the API refuses
     * it too, but an event on the log may come from elsewhere (a replay, a producer with broker access).
     * What the build prints goes to {@code lines} while it runs.
     */
    public Built run(BuildOrder order, Consumer<String> lines) throws StageFailure {
        Optional<String> refusal = allowed.refusal(order.builderImage());
        if (refusal.isPresent()) {
            throw new StageFailure(ReasonCodes.BUILDER_IMAGE_NOT_ALLOWED, refusal.get(), false);
        }
        String dockerfile = order.build().dockerfile();
        if (dockerfile == null) {
            Optional<Built> built = buildpacks(order, lines);
            if (built.isPresent()) {
                return built.get();
            }
            dockerfile = Dockerfiles.DEFAULT;
            lines.accept("the source has a " + Dockerfiles.DEFAULT + " at its top: building it with Kaniko");
        }
        return kaniko(order, dockerfile, lines);
    }

    /** The buildpacks Job; empty when its unpack step found a Dockerfile (that Job is then removed). */
    private Optional<Built> buildpacks(BuildOrder order, Consumer<String> lines) throws StageFailure {
        AppRef app = order.app();
        Job job = stager.create(StagingJobs.job(app, order.stageId(), BlobKeys.of(app, order.blobUid()),
                order.blobUid(), order.builderImage(), order.image(), build.registry(), build.insecure(), s3,
                properties));
        KubernetesStager.JobOutcome outcome = stager.await(job.getMetadata().getName(),
                StagingJobs.BUILDPACKS_LOGGED, lines);
        if (outcome.message("unpack", StagingJobs.DOCKERFILE_EXIT).filter(StagingJobs.DOCKERFILE_FOUND::equals)
                .isPresent()) {
            stager.delete(job.getMetadata().getName());
            return Optional.empty();
        }
        if (!outcome.succeeded()) {
            throw new StageFailure(ReasonCodes.BUILD_FAILED, "staging Job " + job.getMetadata().getName()
                    + " failed: " + outcome.failure() + "; its log is in the stage's log events", false);
        }
        return Optional.of(new Built(outcome, BUILDPACKS));
    }

    /**
     * The Kaniko Job, its build env in a Secret of its own. The Dockerfile's path and the env's names are
     * checked again here: an event on the log may come from elsewhere than the API.
     */
    private Built kaniko(BuildOrder order, String dockerfile, Consumer<String> lines) throws StageFailure {
        AppRef app = order.app();
        StagingJobs.DockerfileBuild dockerfileBuild;
        Map<String, String> env = envOpener.open(order.build());
        try {
            dockerfileBuild = new StagingJobs.DockerfileBuild(dockerfile, new ArrayList<>(env.keySet()), order.labels());
        } catch (IllegalArgumentException refused) {
            boolean path = refused.getMessage().startsWith("dockerfile");
            throw new StageFailure(path ? ReasonCodes.ARCHIVE_UNSAFE_PATH : ReasonCodes.BUILD_FAILED,
                    refused.getMessage(), false);
        }
        Job job = stager.create(StagingJobs.kaniko(app, order.stageId(), BlobKeys.of(app, order.blobUid()),
                order.blobUid(), order.image(), dockerfileBuild, build.registry(), build.insecure(), s3, properties));
        try {
            if (!env.isEmpty()) {
                secrets.create(job, env);
            }
            KubernetesStager.JobOutcome outcome = stager.await(job.getMetadata().getName(),
                    StagingJobs.KANIKO_LOGGED, lines);
            if (!outcome.succeeded()) {
                throw failure(outcome, dockerfile);
            }
            return new Built(outcome, AppKind.DOCKERFILE.wireName());
        } finally {
            if (!env.isEmpty()) {
                secrets.delete(job);
            }
        }
    }

    private static StageFailure failure(KubernetesStager.JobOutcome outcome, String dockerfile) {
        Optional<String> unpack = outcome.message("unpack", StagingJobs.DOCKERFILE_EXIT);
        if (unpack.filter(StagingJobs.DOCKERFILE_LINK::equals).isPresent()) {
            return new StageFailure(ReasonCodes.ARCHIVE_UNSAFE_LINK, "the Dockerfile " + dockerfile + " is a symbolic "
                    + "link (or inside one); push the Dockerfile itself as a regular file", false);
        }
        if (unpack.filter(StagingJobs.DOCKERFILE_MISSING::equals).isPresent()) {
            return new StageFailure(ReasonCodes.BUILDER_NOT_DETECTED, "the push names the Dockerfile " + dockerfile
                    + " but the source has no such file; check the path (relative to the pushed folder's top) given "
                    + "with --dockerfile or in slipway.yml", false);
        }
        if (outcome.failedIn("kaniko")) {
            return KanikoFailures.of(outcome.tail());
        }
        if (outcome.failedIn("push")) {
            return new StageFailure(ReasonCodes.REGISTRY_UNAVAILABLE, "the image was built but pushing it failed: "
                    + String.join(" ", outcome.tail()) + "; check the registry and its Secret, then replay the push",
                    true);
        }
        return new StageFailure(ReasonCodes.BUILD_FAILED, "staging Job failed: " + outcome.failure()
                + "; its log is in the stage's log events", false);
    }
}
