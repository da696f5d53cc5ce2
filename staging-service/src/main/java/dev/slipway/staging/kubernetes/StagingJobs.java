package dev.slipway.staging.kubernetes;

import dev.slipway.events.AppRef;
import dev.slipway.events.StageStep;
import dev.slipway.events.spring.S3Settings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The staging Job of one stage: fetch the blob from S3, unpack it, then the buildpacks lifecycle one
 * phase per container, as the Cloud Native Buildpacks project's own Kubernetes platforms do it.
 *
 * <p>The push's builder image is untrusted: it runs only {@code detect} and {@code build}, as the
 * builder's unprivileged user, with no registry credentials, no S3 credentials and no service account
 * token. The phases that talk to the registry ({@code analyze}, {@code restore}, {@code export}) run
 * in the lifecycle image the operator configured, and only they mount the registry Secret. What the
 * exporter trusts about the run image ({@code analyzed.toml}) lives in a volume that only the
 * analyzer may write. Credentials come from Secrets by reference; no secret value is in the Job.
 */
public final class StagingJobs {

    public static final String STAGE_ID_LABEL = "slipway.dev/stage-id";
    public static final String BLOB_UID_LABEL = "slipway.dev/blob-uid";
    public static final String APP_LABEL = "slipway.dev/app";
    public static final String NAMESPACE_LABEL = "slipway.dev/namespace";
    /** The containers that run the push's builder image, in the order they run. */
    public static final List<String> UNTRUSTED = List.of("detect", "build");
    /** Every container of the Job in the order it runs, with the stage step it counts towards. */
    public static final Map<String, StageStep> STEPS = steps();
    static final String WORKSPACE = "/workspace";
    private static final String APP = WORKSPACE + "/app";
    private static final String LAYERS = "/layers";
    /** Written by the analyzer alone, read-only to every later phase. */
    private static final String TRUSTED = "/platform-trusted";
    private static final String ANALYZED = TRUSTED + "/analyzed.toml";
    private static final String GROUP = LAYERS + "/group.toml";
    private static final String PLAN = LAYERS + "/plan.toml";
    private static final String PLATFORM_API = "0.12";

    private StagingJobs() {
    }

    private static Map<String, StageStep> steps() {
        Map<String, StageStep> steps = new LinkedHashMap<>();
        steps.put("fetch", StageStep.FETCH);
        steps.put("unpack", StageStep.UNPACK);
        for (String phase : List.of("analyze", "detect", "restore", "build", "export")) {
            steps.put(phase, StageStep.BUILD);
        }
        return java.util.Collections.unmodifiableMap(steps);
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
        Phases phases = new Phases(builderImage, image, registry, insecureRegistry, properties);
        List<Container> init = new ArrayList<>();
        init.add(fetch(blobKey, s3, properties));
        init.add(unpack(properties));
        init.add(phases.analyze());
        init.add(phases.detect());
        init.add(phases.restore());
        init.add(phases.build());
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
                // nothing in the pod talks to the Kubernetes API: no token to steal, no services to find
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .addNewVolume().withName("workspace").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("layers").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("platform-trusted").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("cache").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("registry-auth").withNewSecret().withSecretName(properties.registrySecret())
                .addNewItem().withKey(".dockerconfigjson").withPath("config.json").endItem().endSecret().endVolume()
                .withInitContainers(init)
                .withContainers(phases.export())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static Container fetch(String blobKey, S3Settings s3, KubernetesBuildProperties properties) {
        return new ContainerBuilder().withName("fetch").withImage(properties.fetchImage())
                .withCommand("sh", "-c", "mc alias set store \"$S3_ENDPOINT\" \"$S3_ACCESS_KEY\" \"$S3_SECRET_KEY\" "
                        + "--path on && mc cp \"store/$S3_BUCKET/$BLOB_KEY\" " + WORKSPACE + "/source")
                .withEnv(plain("S3_ENDPOINT", s3.endpoint()), plain("S3_BUCKET", s3.bucket()),
                        plain("BLOB_KEY", blobKey), plain("HOME", "/tmp"),
                        fromSecret("S3_ACCESS_KEY", properties.s3Secret(), "accessKey"),
                        fromSecret("S3_SECRET_KEY", properties.s3Secret(), "secretKey"))
                .withVolumeMounts(mount("workspace", WORKSPACE, false)).build();
    }

    /** The formats Epinio's unpack step tries, then a single top-level folder is lifted and given to the builder's user. */
    private static Container unpack(KubernetesBuildProperties properties) {
        return new ContainerBuilder().withName("unpack").withImage(properties.unpackImage())
                .withCommand("sh", "-c", "set -e; cd " + WORKSPACE + "; mkdir app; "
                        + "tar -xf source -C app 2>/dev/null || unzip -q source -d app 2>/dev/null "
                        + "|| tar -xzf source -C app 2>/dev/null || tar -xjf source -C app 2>/dev/null "
                        + "|| tar -xJf source -C app; "
                        + "if [ \"$(ls -A app | wc -l)\" = 1 ] && [ -d \"app/$(ls -A app)\" ]; then "
                        + "mv \"app/$(ls -A app)\" lifted && rmdir app && mv lifted app; fi; rm source; "
                        + "chown -R " + properties.builderUserId() + ":" + properties.builderGroupId() + " app")
                .withVolumeMounts(mount("workspace", WORKSPACE, false)).build();
    }

    /** The lifecycle phases of one build; see the class comment for who holds what. */
    private record Phases(String builderImage, String image, String registry, boolean insecureRegistry,
                          KubernetesBuildProperties properties) {

        Container analyze() {
            return trusted("analyze", "analyzer", List.of("-layers=" + LAYERS, "-analyzed=" + ANALYZED,
                    "-run-image=" + properties.runImage(), "-cache-dir=/cache"), true, true);
        }

        Container detect() {
            return untrusted("detect", List.of("/cnb/lifecycle/detector", "-app=" + APP, "-layers=" + LAYERS,
                    "-group=" + GROUP, "-plan=" + PLAN, "-analyzed=" + ANALYZED));
        }

        Container restore() {
            return trusted("restore", "restorer", List.of("-layers=" + LAYERS, "-group=" + GROUP,
                    "-analyzed=" + ANALYZED, "-cache-dir=/cache"), false, false);
        }

        Container build() {
            return untrusted("build", List.of("/cnb/lifecycle/builder", "-app=" + APP, "-layers=" + LAYERS,
                    "-group=" + GROUP, "-plan=" + PLAN, "-analyzed=" + ANALYZED));
        }

        Container export() {
            return trusted("export", "exporter", List.of("-app=" + APP, "-layers=" + LAYERS, "-group=" + GROUP,
                    "-analyzed=" + ANALYZED, "-cache-dir=/cache"), false, true);
        }

        /**
         * A phase of the operator's lifecycle image: starts as root to own its folders, then the lifecycle
         * drops to the builder's user. Only these mount the registry Secret.
         */
        private Container trusted(String name, String binary, List<String> flags, boolean writesAnalyzed,
                                  boolean withImage) {
            List<String> command = new ArrayList<>();
            command.add("/cnb/lifecycle/" + binary);
            command.addAll(flags);
            command.add("-uid=" + properties.builderUserId());
            command.add("-gid=" + properties.builderGroupId());
            if (insecureRegistry) {
                command.add("-insecure-registry=" + registry);
            }
            if (withImage) {
                command.add(image);
            }
            return new ContainerBuilder().withName(name).withImage(properties.lifecycleImage())
                    .withCommand(command)
                    .withEnv(plain("CNB_PLATFORM_API", PLATFORM_API), plain("DOCKER_CONFIG", "/registry-auth"))
                    .withVolumeMounts(mount("workspace", WORKSPACE, true), mount("layers", LAYERS, false),
                            mount("platform-trusted", TRUSTED, !writesAnalyzed), mount("cache", "/cache", false),
                            mount("registry-auth", "/registry-auth", true))
                    .build();
        }

        /** A phase of the push's builder image: its own user, no privileges, no credentials, nothing to rewrite for export. */
        private Container untrusted(String name, List<String> command) {
            return new ContainerBuilder().withName(name).withImage(builderImage)
                    .withCommand(command)
                    .withEnv(plain("CNB_PLATFORM_API", PLATFORM_API), plain("PORT", "8080"))
                    .withSecurityContext(unprivileged(properties))
                    .withVolumeMounts(mount("workspace", WORKSPACE, false), mount("layers", LAYERS, false),
                            mount("platform-trusted", TRUSTED, true))
                    .build();
        }
    }

    private static SecurityContext unprivileged(KubernetesBuildProperties properties) {
        return new SecurityContextBuilder().withRunAsUser(properties.builderUserId())
                .withRunAsGroup(properties.builderGroupId()).withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    private static VolumeMount mount(String name, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly).build();
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fromSecret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(secret).withKey(key).endSecretKeyRef().endValueFrom().build();
    }
}
