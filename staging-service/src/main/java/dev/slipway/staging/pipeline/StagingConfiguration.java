package dev.slipway.staging.pipeline;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.spring.EventSource;
import dev.slipway.events.spring.S3Settings;
import dev.slipway.events.spring.StageBindings;
import dev.slipway.staging.build.AppDetector;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.build.JibImageBuilder;
import dev.slipway.staging.fetch.BlobFetcher;
import dev.slipway.staging.kubernetes.KubernetesBuild;
import dev.slipway.staging.kubernetes.KubernetesBuildProperties;
import dev.slipway.staging.kubernetes.KubernetesStager;
import dev.slipway.staging.unpack.ArchiveUnpacker;
import dev.slipway.staging.unpack.UnpackLimits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.minio.MinioClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the staging pipeline to S3, the registry and the event log (binding {@code stage-in-0}). */
@Configuration(proxyBeanMethods = false)
class StagingConfiguration {

    @Bean
    BlobFetcher blobFetcher(S3Settings s3, StagingProperties properties) {
        return new BlobFetcher(MinioClient.builder().endpoint(s3.endpoint()).region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey()).build(), s3.bucket(), properties.fetchAttempts(),
                properties.fetchRetryWait());
    }

    @Bean
    JibImageBuilder jibImageBuilder(BuildProperties properties) throws IOException {
        return new JibImageBuilder(properties);
    }

    /** The cluster comes from the kubeconfig or the pod's service account, as for any fabric8 client. */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "slipway.staging.builder", havingValue = "kubernetes")
    KubernetesClient stagingKubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Bean
    @ConditionalOnProperty(name = "slipway.staging.builder", havingValue = "kubernetes")
    KubernetesBuild kubernetesBuild(KubernetesClient stagingKubernetesClient, KubernetesBuildProperties properties,
                                    BuildProperties build, S3Settings s3) {
        return new KubernetesBuild(new KubernetesStager(stagingKubernetesClient, properties), properties, build, s3);
    }

    @Bean
    StagingPipeline stagingPipeline(EventSource source, StagingProperties properties, BlobFetcher fetcher,
                                    UnpackLimits limits, JibImageBuilder builder,
                                    Optional<KubernetesBuild> kubernetesBuild) throws IOException {
        Path workRoot = properties.workDir().isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "slipway-staging")
                : Path.of(properties.workDir());
        return new StagingPipeline(source.uri(), properties, fetcher, new ArchiveUnpacker(limits), new AppDetector(),
                builder, Files.createDirectories(workRoot), kubernetesBuild);
    }

    /** The stage on the event log; see {@link StageBindings}. */
    @Bean
    Consumer<Event<EventData>> stage(StagingPipeline pipeline, StreamBridge streamBridge) {
        return StageBindings.consumer(pipeline::accept, streamBridge);
    }
}
