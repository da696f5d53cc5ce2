package dev.slipway.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import dev.slipway.events.Event;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageSucceeded;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.staging.kubernetes.StagingJobs;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The kubernetes builder against fabric8's CRUD mock API server (no real API server runs here). The
 * service builds its client from the usual fabric8 settings, as against a cluster; the test plays
 * the cluster (pod and Job status) and the buildpacks lifecycle (the pushed image).
 */
class KubernetesStagingTest extends StagingServiceTest {

    private static final String NAMESPACE = "slipway-staging";
    private static final KubernetesMockServer CLUSTER = KubernetesMocks.startCrudServer();
    private static final KubernetesClient KUBE = CLUSTER.createClient();

    @DynamicPropertySource
    static void kubernetesBuilder(DynamicPropertyRegistry registry) {
        // where any fabric8 client looks first: the same path a kubeconfig or service account would take
        System.setProperty("kubernetes.master", KUBE.getMasterUrl().toString());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        registry.add("slipway.staging.builder", () -> "kubernetes");
        registry.add("slipway.staging.kubernetes.poll-interval", () -> "100ms");
        registry.add("slipway.staging.kubernetes.image-pull-timeout", () -> "0s");
    }

    @AfterAll
    void stopCluster() {
        KUBE.close();
        CLUSTER.destroy();
    }

    @Test
    void aStageBecomesAJobLikeEpiniosAndItsSuccessAStageSucceeded() throws Exception {
        Event<StageRequested> push = stage("cnb", Archives.tarGz(Map.of("package.json", "{}")));
        Job job = awaitJob(push);

        assertThat(job.getMetadata().getName()).isEqualTo(StagingJobs.jobName(push.data().app(), push.id()));
        assertThat(job.getMetadata().getLabels()).containsEntry(StagingJobs.STAGE_ID_LABEL, push.id())
                .containsEntry(StagingJobs.BLOB_UID_LABEL, push.data().blobUid());
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getInitContainers()).extracting(container -> container.getName())
                .containsExactly("fetch", "unpack");
        var build = pod.getContainers().get(0);
        assertThat(build.getImage()).isEqualTo("paketobuildpacks/builder-jammy-full:latest");
        String image = REGISTRY.host() + "/workspace-" + push.data().app().name() + ":" + push.id();
        assertThat(build.getCommand()).startsWith("/cnb/lifecycle/creator").endsWith(image);
        List<EnvVar> fetchEnv = pod.getInitContainers().get(0).getEnv();
        assertThat(fetchEnv).filteredOn(env -> env.getName().equals("S3_SECRET_KEY")).singleElement()
                .satisfies(env -> {
                    assertThat(env.getValue()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("slipway-s3");
                });
        assertThat(job.toString()).doesNotContain(S3.secretKey());

        // the lifecycle pushes the image, the kubelet runs the pod, the Job controller marks success
        Jib.from(RegistryImage.named(REGISTRY.host() + "/" + BaseImages.BUSYBOX))
                .containerize(Containerizer.to(RegistryImage.named(image)).setAllowInsecureRegistries(true));
        createPod(job, List.of(terminated("fetch", 0, 2), terminated("unpack", 2, 3)), List.of(terminated("build", 3, 40)));
        job.setStatus(new JobStatusBuilder().withSucceeded(1).build());
        KUBE.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();

        StageSucceeded staged = succeeded(push);
        assertThat(staged.image()).isEqualTo(image);
        assertThat(staged.digest()).startsWith("sha256:");
        assertThat(staged.appKind()).isEqualTo("buildpacks");
        assertThat(staged.stepMillis()).containsEntry(StageStep.FETCH, 2000L).containsEntry(StageStep.UNPACK, 1000L)
                .containsEntry(StageStep.BUILD, 37000L);
    }

    @Test
    void aFailedJobIsAFailedStageWithTheJobsReason() throws Exception {
        Event<StageRequested> push = stage("cnbfail", Archives.tarGz(Map.of("main.rb", "puts 1")));
        Job job = awaitJob(push);

        job.setStatus(new JobStatusBuilder().withFailed(1).addNewCondition().withType("Failed").withStatus("True")
                .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                .endCondition().build());
        KUBE.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();

        StageFailed failure = failed(push);
        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
        assertThat(failure.failure().message()).contains("BackoffLimitExceeded");
        assertThat(failure.request()).isEqualTo(push.data());
    }

    @Test
    void aBuilderImageThatCannotBePulledFailsClearlyInsteadOfHanging() throws Exception {
        Event<StageRequested> push = stage("nopull", Archives.tarGz(Map.of("index.html", "x")));
        Job job = awaitJob(push);

        createPod(job, List.of(), List.of(new ContainerStatusBuilder().withName("build").withImage("nope/builder:1")
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"nope/builder:1\"").endWaiting().endState().build()));

        StageFailed failure = failed(push);
        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.BUILDER_IMAGE_UNAVAILABLE);
        assertThat(failure.failure().message()).contains("nope/builder:1", "ImagePullBackOff", "--builder-image");
        await().atMost(Duration.ofSeconds(10)).until(() -> KUBE.batch().v1().jobs().inNamespace(NAMESPACE)
                .withName(job.getMetadata().getName()).get() == null);
    }

    private static Job awaitJob(Event<StageRequested> push) {
        String name = StagingJobs.jobName(push.data().app(), push.id());
        return await().atMost(TIMEOUT).until(() -> KUBE.batch().v1().jobs().inNamespace(NAMESPACE).withName(name)
                .get(), java.util.Objects::nonNull);
    }

    private static void createPod(Job job, List<ContainerStatus> init, List<ContainerStatus> main) {
        KUBE.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(job.getMetadata().getName() + "-x7k2p").withNamespace(NAMESPACE)
                .addToLabels("job-name", job.getMetadata().getName())
                .withCreationTimestamp(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5).toString()).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withInitContainerStatuses(init).withContainerStatuses(main).endStatus()
                .build()).create();
    }

    private static ContainerStatus terminated(String name, int startSecond, int endSecond) {
        OffsetDateTime base = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        return new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(0)
                .withStartedAt(base.plusSeconds(startSecond).toString())
                .withFinishedAt(base.plusSeconds(endSecond).toString()).endTerminated().endState().build();
    }
}
