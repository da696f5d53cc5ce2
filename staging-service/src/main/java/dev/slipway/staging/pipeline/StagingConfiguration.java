package dev.slipway.staging.pipeline;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.spring.EventSource;
import dev.slipway.events.spring.S3Settings;
import dev.slipway.events.spring.StageAttempts;
import dev.slipway.events.spring.StageBindings;
import dev.slipway.events.spring.StageInputs;
import dev.slipway.events.spring.WallSettings;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.ImageBuilder;
import dev.slipway.staging.build.podman.BuildContainerSettings;
import dev.slipway.staging.fetch.BlobFetcher;
import dev.slipway.staging.kubernetes.KubernetesBuild;
import dev.slipway.staging.kubernetes.KubernetesBuildProperties;
import dev.slipway.staging.kubernetes.KubernetesJobBuilder;
import dev.slipway.staging.kubernetes.KubernetesStager;
import dev.slipway.staging.metrics.StageMetrics;
import dev.slipway.staging.registry.AppImageRemoval;
import dev.slipway.staging.registry.HttpImageRegistry;
import dev.slipway.staging.registry.ImageRegistry;
import dev.slipway.staging.unpack.UnpackLimits;
import dev.slipway.staging.worker.BuildCacheSettings;
import dev.slipway.staging.worker.BuildCaches;
import dev.slipway.staging.worker.BuildEnvOpener;
import dev.slipway.staging.worker.StageWorkers;
import dev.slipway.staging.worker.StageWorkersHealthIndicator;
import dev.slipway.staging.worker.WorkerImageBuilder;
import dev.slipway.staging.worker.WorkerSettings;
import dev.slipway.events.secrets.SecretBox;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.MinioClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the staging pipeline to S3, the registry, its builder and the event log (binding
 * {@code stage-in-0}). The builder is {@code jib} (stage workers on this machine, the default) or
 * {@code kubernetes} (a Job per stage), by {@code slipway.staging.builder}.
 */
@Configuration(proxyBeanMethods = false)
class StagingConfiguration {

    @Bean
    ImageRegistry imageRegistry(BuildProperties build) {
        return new HttpImageRegistry(build.insecure(), build.registryUsername(), build.registryPassword());
    }

    @Bean
    StagingPipeline stagingPipeline(EventSource source, StagingProperties properties, BuildProperties build,
                                    ImageRegistry imageRegistry, ImageBuilder imageBuilder) {
        return new StagingPipeline(source.uri(), properties.builder(), properties.defaultBuilderImage(),
                build.registry(), imageRegistry, imageBuilder);
    }

    /**
     * Stage requests, for the attempt ledger. One that crashed the service is failed in FETCH, where
     * staging it again would begin: the step it died in is not known, and the push's {@code stage.step}
     * events show how far it got.
     */
    private static final StageInputs STAGE_REQUESTS = StageInputs.of((input, failure) -> Optional.of(
            StageFailed.of(input.dataAs(StageRequested.class), StageStep.FETCH, failure)), EventType.STAGE_REQUESTED);

    /**
     * The stage on the event log, its requests marked in the attempt ledger; see {@link StageBindings}.
     * A deleted app's images and (with stage workers) its build cache go.
     */
    @Bean
    Consumer<Event<EventData>> stage(StagingPipeline pipeline, AppImageRemoval appImages, StageAttempts attempts,
                                     StreamBridge streamBridge, ObjectProvider<BuildCaches> buildCaches,
                                     MeterRegistry meterRegistry) {
        StageMetrics metrics = new StageMetrics(meterRegistry);
        return StageBindings.consumer((event, emit) -> {
            if (event.data() instanceof AppDeleted deleted) {
                appImages.removeImagesOf(deleted.app());
                buildCaches.ifAvailable(caches -> caches.remove(deleted.app()));
            } else {
                pipeline.accept(event, metrics.around(emit));
            }
        }, STAGE_REQUESTS, attempts, streamBridge);
    }

    /** Opens the pushes' build env (either builder): the same {@code slipway.secrets.key} as upload-service's seals it. */
    @Bean
    BuildEnvOpener buildEnvOpener(@Value("${slipway.secrets.key:}") String secretsKey) {
        return new BuildEnvOpener(secretsKey.isBlank() ? null : new SecretBox(secretsKey));
    }

    /** A deleted app's images leave the registry (staging pushed them, so staging removes them). */
    @Bean
    AppImageRemoval appImageRemoval(BuildProperties build) {
        return new AppImageRemoval(build.registry(), build.insecure(), build.registryUsername(),
                build.registryPassword(), build.attempts(), build.retryWait());
    }

    /** The default builder: stage workers on this machine. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "slipway.staging.builder", havingValue = "jib", matchIfMissing = true)
    static class WorkerBuilder {

        @Bean
        BlobFetcher blobFetcher(S3Settings s3, StagingProperties properties) {
            return new BlobFetcher(MinioClient.builder().endpoint(s3.endpoint()).region(s3.region())
                    .credentials(s3.accessKey(), s3.secretKey()).build(), s3.bucket(), properties.fetchAttempts(),
                    properties.fetchRetryWait());
        }

        @Bean(destroyMethod = "close")
        StageWorkers stageWorkers(WorkerSettings settings, StagingProperties properties) throws IOException {
            return new StageWorkers(settings, workRoot(properties).resolve(".workers"));
        }

        @Bean
        StageWorkersHealthIndicator stageWorkersHealthIndicator(StageWorkers stageWorkers) {
            return new StageWorkersHealthIndicator(stageWorkers);
        }

        @Bean
        BuildCaches buildCaches(StagingProperties properties, BuildCacheSettings settings) throws IOException {
            return new BuildCaches(workRoot(properties), settings.maxSize().toBytes());
        }

        @Bean
        ImageBuilder workerImageBuilder(BlobFetcher blobFetcher, StageWorkers stageWorkers, UnpackLimits limits,
                                        BuildProperties build, WorkerSettings settings, StagingProperties properties,
                                        BuildCaches buildCaches, BuildEnvOpener buildEnvOpener,
                                        BuildContainerSettings container) throws IOException {
            Path workRoot = workRoot(properties);
            // Jib's layer cache outlives each worker, so base layers are pulled once, not once per stage
            BuildProperties withCache = build.cacheDir().isBlank() ? build.withCacheDir(workRoot.resolve(".jib-cache"))
                    : build;
            return new WorkerImageBuilder(blobFetcher, stageWorkers, limits, withCache, settings, workRoot,
                    buildCaches, buildEnvOpener, container);
        }

        private static Path workRoot(StagingProperties properties) throws IOException {
            return Files.createDirectories(properties.workDir().isBlank()
                    ? Path.of(System.getProperty("java.io.tmpdir"), "slipway-staging")
                    : Path.of(properties.workDir()));
        }
    }

    /** A Job per stage in the cluster, as Epinio does. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "slipway.staging.builder", havingValue = "kubernetes")
    static class JobBuilder {

        /** The cluster comes from the kubeconfig or the pod's service account, as for any fabric8 client. */
        @Bean(destroyMethod = "close")
        KubernetesClient stagingKubernetesClient() {
            return new KubernetesClientBuilder().build();
        }

        @Bean
        ImageBuilder kubernetesJobBuilder(KubernetesClient stagingKubernetesClient,
                                          KubernetesBuildProperties properties, BuildProperties build, S3Settings s3,
                                          WallSettings.AllowedBuilders allowedBuilders, ImageRegistry imageRegistry,
                                          BuildEnvOpener buildEnvOpener) {
            return new KubernetesJobBuilder(new KubernetesBuild(new KubernetesStager(stagingKubernetesClient,
                    properties), properties, build, s3, allowedBuilders.policy(), buildEnvOpener), imageRegistry);
        }
    }
}
