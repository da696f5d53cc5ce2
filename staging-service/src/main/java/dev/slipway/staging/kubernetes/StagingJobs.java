package dev.slipway.staging.kubernetes;

import dev.slipway.events.AppRef;
import dev.slipway.events.spring.S3Settings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;

/**
 * The staging Job of one stage, like Epinio's: fetch the blob from S3, unpack it, then run the
 * buildpacks lifecycle {@code creator}, which builds and pushes {@code image}. Credentials come from
 * Secrets by reference; no secret value is written into the Job.
 */
public final class StagingJobs {

    public static final String STAGE_ID_LABEL = "slipway.dev/stage-id";
    public static final String BLOB_UID_LABEL = "slipway.dev/blob-uid";
    public static final String APP_LABEL = "slipway.dev/app";
    public static final String NAMESPACE_LABEL = "slipway.dev/namespace";
    static final String WORKSPACE = "/workspace";

    private StagingJobs() {
    }

    /** {@code stage-<ns>-<app>-<first 8 of the stage id>}, cut to a valid 63-character name. */
    public static String jobName(AppRef app, String stageId) {
        String base = "stage-" + app.namespace() + "-" + app.name();
        if (base.length() > 53) {
            base = base.substring(0, 53).replaceAll("-+$", "");
        }
        return base + "-" + stageId.substring(0, 8);
    }

    public static Job job(AppRef app, String stageId, String blobKey, String blobUid, String builderImage,
                          String image, String registry, boolean insecureRegistry, S3Settings s3,
                          KubernetesBuildProperties properties) {
        Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "slipway",
                "app.kubernetes.io/component", "staging", STAGE_ID_LABEL, stageId, BLOB_UID_LABEL, blobUid,
                APP_LABEL, app.name(), NAMESPACE_LABEL, app.namespace());
        List<VolumeMount> workspace = List.of(mount("workspace", WORKSPACE));
        List<String> creator = insecureRegistry
                ? List.of("/cnb/lifecycle/creator", "-app=" + WORKSPACE + "/app", "-cache-dir=/cache",
                        "-insecure-registry=" + registry, image)
                : List.of("/cnb/lifecycle/creator", "-app=" + WORKSPACE + "/app", "-cache-dir=/cache", image);
        return new JobBuilder()
                .withNewMetadata().withName(jobName(app, stageId)).withNamespace(properties.namespace())
                .withLabels(labels).endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withTtlSecondsAfterFinished(properties.ttlAfterFinished())
                .withActiveDeadlineSeconds(properties.timeout().toSeconds())
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewVolume().withName("workspace").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("cache").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("registry-auth").withNewSecret().withSecretName(properties.registrySecret())
                .addNewItem().withKey(".dockerconfigjson").withPath("config.json").endItem().endSecret().endVolume()
                .addNewInitContainer().withName("fetch").withImage(properties.fetchImage())
                .withCommand("sh", "-c", "mc alias set store \"$S3_ENDPOINT\" \"$S3_ACCESS_KEY\" \"$S3_SECRET_KEY\" "
                        + "--path on && mc cp \"store/$S3_BUCKET/$BLOB_KEY\" " + WORKSPACE + "/source")
                .withEnv(plain("S3_ENDPOINT", s3.endpoint()), plain("S3_BUCKET", s3.bucket()),
                        plain("BLOB_KEY", blobKey), plain("HOME", "/tmp"),
                        fromSecret("S3_ACCESS_KEY", properties.s3Secret(), "accessKey"),
                        fromSecret("S3_SECRET_KEY", properties.s3Secret(), "secretKey"))
                .withVolumeMounts(workspace).endInitContainer()
                .addNewInitContainer().withName("unpack").withImage(properties.unpackImage())
                // the formats Epinio's unpack step tries, then a single top-level folder is lifted
                .withCommand("sh", "-c", "set -e; cd " + WORKSPACE + "; mkdir app; "
                        + "tar -xf source -C app 2>/dev/null || unzip -q source -d app 2>/dev/null "
                        + "|| tar -xzf source -C app 2>/dev/null || tar -xjf source -C app 2>/dev/null "
                        + "|| tar -xJf source -C app; "
                        + "if [ \"$(ls -A app | wc -l)\" = 1 ] && [ -d \"app/$(ls -A app)\" ]; then "
                        + "mv \"app/$(ls -A app)\" lifted && rmdir app && mv lifted app; fi")
                .withVolumeMounts(workspace).endInitContainer()
                .addNewContainer().withName("build").withImage(builderImage)
                .withCommand(creator)
                .withEnv(plain("CNB_PLATFORM_API", "0.12"), plain("DOCKER_CONFIG", "/registry-auth"),
                        plain("PORT", "8080"))
                .withVolumeMounts(mount("workspace", WORKSPACE), mount("cache", "/cache"),
                        mount("registry-auth", "/registry-auth"))
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static VolumeMount mount(String name, String path) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).build();
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fromSecret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(secret).withKey(key).endSecretKeyRef().endValueFrom().build();
    }
}
