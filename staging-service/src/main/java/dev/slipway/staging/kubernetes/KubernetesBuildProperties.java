package dev.slipway.staging.kubernetes;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code kubernetes} builder ({@code slipway.staging.kubernetes.*}): a Job per stage running the
 * Cloud Native Buildpacks lifecycle one phase per container, so that the push's builder image never
 * sees registry credentials. Which builder images may run is {@code allowed-builders}, read with the
 * API's check ({@code WallSettings.AllowedBuilders}).
 *
 * @param namespace          where staging Jobs run
 * @param fetchImage         image with the MinIO client, fetching the blob
 * @param unpackImage        image with tar and unzip, unpacking it
 * @param lifecycleImage     the buildpacks lifecycle as the project publishes it: runs the phases that
 *                           touch the registry (analyze, restore, export), the only ones holding its
 *                           credentials; the builder image only detects and builds
 * @param runImage           the image apps run on (the paketo jammy builders' run image by default)
 * @param builderUserId      the user the builder image builds as (paketo jammy: 1001)
 * @param builderGroupId     its group (paketo jammy: 1000)
 * @param s3Secret           Secret with keys {@code accessKey} and {@code secretKey} for the blob store
 * @param registrySecret     Secret of type dockerconfigjson the lifecycle pushes with
 * @param timeout            how long a stage may take before it fails (the Job's active deadline)
 * @param imagePullTimeout   how long a pod may wait for its images before the stage fails
 * @param pollInterval       how often the Job and its pod are looked at
 * @param ttlAfterFinished   how long a finished Job is kept for inspection
 * @param kanikoImage        Kaniko's executor, building a source that holds a Dockerfile: it runs the
 *                           Dockerfile's steps, so it holds no push credential; it writes the image to a
 *                           file in the pod
 * @param pushImage          crane (go-containerregistry), pushing that file with the registry Secret
 * @param kanikoPullSecret   optional Secret of type dockerconfigjson Kaniko pulls base images with: give it a
 *                           pull-only credential, as the Dockerfile's steps can read it; empty: anonymous pulls
 * @param kanikoCpu          CPU limit of the Kaniko container (a Kubernetes quantity)
 * @param kanikoMemory       memory limit of the Kaniko container
 * @param kanikoStorage      ephemeral storage limit of the Kaniko container (the unpacked base and layers)
 */
@ConfigurationProperties("slipway.staging.kubernetes")
public record KubernetesBuildProperties(@DefaultValue("slipway-staging") String namespace,
                                        @DefaultValue("minio/mc:RELEASE.2025-08-13T08-35-41Z") String fetchImage,
                                        @DefaultValue("busybox:1.36") String unpackImage,
                                        @DefaultValue("buildpacksio/lifecycle:0.17.0") String lifecycleImage,
                                        @DefaultValue("paketobuildpacks/run-jammy-full:latest") String runImage,
                                        @DefaultValue("1001") long builderUserId,
                                        @DefaultValue("1000") long builderGroupId,
                                        @DefaultValue("slipway-s3") String s3Secret,
                                        @DefaultValue("slipway-registry") String registrySecret,
                                        @DefaultValue("20m") Duration timeout,
                                        @DefaultValue("2m") Duration imagePullTimeout,
                                        @DefaultValue("1s") Duration pollInterval,
                                        @DefaultValue("300") int ttlAfterFinished,
                                        @DefaultValue("gcr.io/kaniko-project/executor:v1.23.2") String kanikoImage,
                                        @DefaultValue("gcr.io/go-containerregistry/crane:v0.20.2") String pushImage,
                                        @DefaultValue("") String kanikoPullSecret,
                                        @DefaultValue("2") String kanikoCpu,
                                        @DefaultValue("4Gi") String kanikoMemory,
                                        @DefaultValue("10Gi") String kanikoStorage) {
}
