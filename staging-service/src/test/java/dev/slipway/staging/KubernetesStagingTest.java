package dev.slipway.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import dev.slipway.events.BuildSettings;
import dev.slipway.events.BuilderImages;
import dev.slipway.events.EventType;
import dev.slipway.events.StageLogged;
import dev.slipway.events.secrets.SecretBox;
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
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
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
    private static final String ALLOWED_REGISTRY = "builders.example.com";
    private static final String LIFECYCLE_IMAGE = "buildpacksio/lifecycle:0.17.0";
    private static final String SECRETS_KEY = "kubernetes-staging-test-key-0123456789ab";
    private static final SecretBox SECRETS = new SecretBox(SECRETS_KEY);
    /** CRUD, and what the CRUD store cannot answer (a pod's log) as the test expects it. */
    private static final KubernetesMockServer CLUSTER = KubernetesMocks.startMixedServer();
    private static final KubernetesClient KUBE = CLUSTER.createClient();

    @DynamicPropertySource
    static void kubernetesBuilder(DynamicPropertyRegistry registry) {
        // where any fabric8 client looks first: the same path a kubeconfig or service account would take
        // the service's own address of the mock: what it asks of the API is recorded as staging's
        System.setProperty("kubernetes.master", KubernetesMocks.serviceUrl(CLUSTER, "staging"));
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        registry.add("slipway.staging.builder", () -> "kubernetes");
        registry.add("slipway.secrets.key", () -> SECRETS_KEY);
        registry.add("slipway.staging.kubernetes.poll-interval", () -> "100ms");
        registry.add("slipway.staging.kubernetes.image-pull-timeout", () -> "0s");
        registry.add("slipway.staging.kubernetes.allowed-builders",
                () -> "paketobuildpacks/builder-jammy-*," + ALLOWED_REGISTRY + "/*");
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
                .containsExactly("fetch", "unpack", "analyze", "detect", "restore", "build");
        assertThat(pod.getContainers()).extracting(container -> container.getName()).containsExactly("export");
        String image = REGISTRY.host() + "/workspace-" + push.data().app().name() + ":" + push.id();
        assertThat(container(job, "detect").getImage()).isEqualTo("paketobuildpacks/builder-jammy-full:latest");
        assertThat(container(job, "build").getImage()).isEqualTo("paketobuildpacks/builder-jammy-full:latest");
        assertThat(container(job, "build").getCommand()).startsWith("/cnb/lifecycle/builder");
        var export = container(job, "export");
        assertThat(export.getImage()).isEqualTo(LIFECYCLE_IMAGE);
        assertThat(export.getCommand()).startsWith("/cnb/lifecycle/exporter").endsWith(image);
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
        createPod(job, List.of(terminated("fetch", 0, 2), terminated("unpack", 2, 3), terminated("analyze", 3, 5),
                terminated("detect", 5, 10), terminated("restore", 10, 11), terminated("build", 11, 35)),
                List.of(terminated("export", 35, 40)));
        job.setStatus(new JobStatusBuilder().withSucceeded(1).build());
        KUBE.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();

        StageSucceeded staged = succeeded(push);
        assertThat(staged.image()).isEqualTo(image);
        assertThat(staged.digest()).startsWith("sha256:");
        assertThat(staged.appKind()).isEqualTo("buildpacks");
        assertThat(staged.stepMillis()).containsEntry(StageStep.FETCH, 2000L).containsEntry(StageStep.UNPACK, 1000L)
                .containsEntry(StageStep.BUILD, 37000L);
        // the Job's own step times reach the histogram under the buildpacks kind
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(scrape().sum(
                "slipway_stage_duration_seconds_sum", java.util.Map.of("step", "build", "kind", "buildpacks")))
                .isGreaterThanOrEqualTo(37.0));
    }

    @Test
    void aFailedJobIsAFailedStageWithTheJobsReason() throws Exception {
        Event<StageRequested> push = stage("cnbfail", Archives.tarGz(Map.of("main.rb", "puts 1")));
        Job job = awaitJob(push);

        finishFailed(job);

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

    @Test
    void theBuilderImageRunsWithoutTheServiceAccountTokenOrAnyCredential() throws Exception {
        Event<StageRequested> push = stage("walls", Archives.tarGz(Map.of("index.html", "x")),
                ALLOWED_REGISTRY + "/builder:1");
        Job job = awaitJob(push);
        var pod = job.getSpec().getTemplate().getSpec();

        // what a hostile builder image gets to see: no token, no Secret, no way back into the API
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        List<Container> builderContainers = allContainers(job).stream()
                .filter(container -> container.getImage().equals(ALLOWED_REGISTRY + "/builder:1")).toList();
        assertThat(builderContainers).extracting(Container::getName)
                .containsExactlyElementsOf(StagingJobs.UNTRUSTED);
        for (Container untrusted : builderContainers) {
            assertThat(untrusted.getVolumeMounts()).extracting(mount -> mount.getName())
                    .doesNotContain("registry-auth", "cache");
            assertThat(untrusted.getEnv()).allSatisfy(env -> {
                assertThat(env.getValueFrom()).as(env.getName()).isNull();
                assertThat(env.getName()).isNotIn("DOCKER_CONFIG", "S3_ACCESS_KEY", "S3_SECRET_KEY");
            });
            assertThat(untrusted.getEnvFrom()).isEmpty();
            assertThat(untrusted.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(untrusted.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(untrusted.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            // the exporter's view of the run image is written by the analyzer alone
            assertThat(untrusted.getVolumeMounts()).filteredOn(mount -> mount.getName().equals("platform-trusted"))
                    .singleElement().satisfies(mount -> assertThat(mount.getReadOnly()).isTrue());
        }
        // the registry credential reaches only the lifecycle image's phases, by reference
        assertThat(allContainers(job)).filteredOn(container -> container.getVolumeMounts().stream()
                .anyMatch(mount -> mount.getName().equals("registry-auth")))
                .allSatisfy(container -> assertThat(container.getImage()).isEqualTo(LIFECYCLE_IMAGE))
                .extracting(Container::getName).containsExactly("analyze", "restore", "export");
        assertThat(pod.getVolumes()).filteredOn(volume -> volume.getName().equals("registry-auth")).singleElement()
                .satisfies(volume -> assertThat(volume.getSecret().getSecretName()).isEqualTo("slipway-registry"));
        assertThat(job.toString()).doesNotContain(S3.secretKey(), S3.accessKey());

        finishFailed(job);  // staging runs one stage at a time: end this one for the next test
        assertThat(failed(push).failure().reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
    }

    @Test
    void aBuilderImageOffTheAllowListIsRefusedAndNeverBecomesAJob() throws Exception {
        String evil = "attacker.example.com/steal-push-credentials:1";
        Event<StageRequested> push = stage("evil", Archives.tarGz(Map.of("index.html", "x")), evil);

        StageFailed failure = failed(push);

        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.BUILDER_IMAGE_NOT_ALLOWED);
        assertThat(failure.failure().retryable()).isFalse();
        assertThat(failure.failure().message()).contains(evil, BuilderImages.SETTING, "Push without a builder image");
        assertThat(failure.request().builderImage()).isEqualTo(evil);
        assertThat(KUBE.batch().v1().jobs().inNamespace(NAMESPACE).withLabel(StagingJobs.APP_LABEL,
                push.data().app().name()).list().getItems()).isEmpty();
        assertThat(KUBE.batch().v1().jobs().inAnyNamespace().list().getItems())
                .noneMatch(job -> job.toString().contains(evil));
    }

    @Test
    void aBuilderImageThatOnlyLooksAllowedIsRefusedToo() throws Exception {
        for (String lookalike : List.of(ALLOWED_REGISTRY + ".attacker.com/builder:1",
                ALLOWED_REGISTRY + "/nested/builder:1", "paketobuildpacks/builder-jammy-full:latest --privileged")) {
            Event<StageRequested> push = stage("look", Archives.tarGz(Map.of("index.html", "x")), lookalike);
            assertThat(failed(push).failure().reason()).as(lookalike)
                    .isEqualTo(ReasonCodes.BUILDER_IMAGE_NOT_ALLOWED);
            assertThat(KUBE.batch().v1().jobs().inNamespace(NAMESPACE).withLabel(StagingJobs.APP_LABEL,
                    push.data().app().name()).list().getItems()).isEmpty();
        }
    }

    @Test
    void aPushNamingADockerfileBuildsWithKanikoItsBuildEnvOnlyInTheJobsOwnSecret() throws Exception {
        String token = "npm-t0ken-" + java.util.UUID.randomUUID();
        Event<StageRequested> push = stage("kaniko", Archives.tarGz(Map.of("docker/Dockerfile.web",
                "ARG SLIPWAY_REGISTRY\nFROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1\n", "index.html", "x")), null,
                new BuildSettings(Map.of("NPM_TOKEN", SECRETS.seal(token)), false, "docker/Dockerfile.web"));
        String name = StagingJobs.kanikoJobName(push.data().app(), push.id());
        Job job = awaitJob(name);
        String image = REGISTRY.host() + "/workspace-" + push.data().app().name() + ":" + push.id();

        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(job.getMetadata().getLabels()).containsEntry(StagingJobs.STAGE_ID_LABEL, push.id())
                .containsEntry(StagingJobs.BLOB_UID_LABEL, push.data().blobUid())
                .containsEntry(StagingJobs.APP_LABEL, push.data().app().name())
                .containsEntry("app.kubernetes.io/component", "staging");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getInitContainers()).extracting(Container::getName).containsExactly("fetch", "unpack", "kaniko");
        assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("push");
        Container kaniko = container(job, "kaniko");
        assertThat(kaniko.getImage()).isEqualTo("gcr.io/kaniko-project/executor:v1.23.2");
        assertThat(kaniko.getArgs()).contains("--dockerfile=/workspace/app/docker/Dockerfile.web",
                "--context=dir:///workspace/app", "--destination=" + image, "--no-push", "--cache=false",
                "--build-arg=SLIPWAY_REGISTRY=" + REGISTRY.host(), "--build-arg=NPM_TOKEN",
                "--label=dev.slipway.stage-id=" + push.id());
        assertThat(kaniko.getResources().getLimits()).containsKeys("cpu", "memory", "ephemeral-storage");
        assertThat(kaniko.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(kaniko.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        // the container that runs the Dockerfile's steps holds no push credential; the pusher alone does
        assertThat(kaniko.getVolumeMounts()).extracting(mount -> mount.getName()).doesNotContain("registry-auth");
        assertThat(container(job, "push").getVolumeMounts()).extracting(mount -> mount.getName())
                .contains("registry-auth");
        assertThat(kaniko.getEnv()).filteredOn(env -> env.getName().equals("NPM_TOKEN")).singleElement()
                .satisfies(env -> {
                    assertThat(env.getValue()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef().getName())
                            .isEqualTo(StagingJobs.buildEnvSecretName(name));
                });
        assertThat(Serialization.asJson(job)).doesNotContain(token);

        Secret secret = await().atMost(TIMEOUT).until(() -> KUBE.secrets().inNamespace(NAMESPACE)
                .withName(StagingJobs.buildEnvSecretName(name)).get(), java.util.Objects::nonNull);
        assertThat(secretValue(secret, "NPM_TOKEN")).isEqualTo(token);
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("Job");
            assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
        });

        // Kaniko builds and prints, crane pushes, the kubelet runs the pod, the Job controller marks success
        Jib.from(RegistryImage.named(REGISTRY.host() + "/" + BaseImages.BUSYBOX))
                .containerize(Containerizer.to(RegistryImage.named(image)).setAllowInsecureRegistries(true));
        serveLog(job, "kaniko", "INFO[0000] Retrieving image manifest " + REGISTRY.host() + "/slipway/base-busybox:1",
                "INFO[0001] Executing 0 build triggers", "INFO[0002] Skipping push to container registry due to --no-push flag");
        serveLog(job, "push", "pushed " + image);
        createPod(job, List.of(terminated("fetch", 0, 1), terminated("unpack", 1, 2), terminated("kaniko", 2, 20)),
                List.of(terminated("push", 20, 22)));
        job.setStatus(new JobStatusBuilder().withSucceeded(1).build());
        KUBE.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();

        StageSucceeded staged = succeeded(push);
        assertThat(staged.image()).isEqualTo(image);
        assertThat(staged.appKind()).isEqualTo("dockerfile");
        assertThat(loggedBeforeTheEnd(push)).containsSubsequence(
                "INFO[0000] Retrieving image manifest " + REGISTRY.host() + "/slipway/base-busybox:1",
                "INFO[0001] Executing 0 build triggers", "pushed " + image);
        await().atMost(TIMEOUT).until(() -> KUBE.secrets().inNamespace(NAMESPACE)
                .withName(StagingJobs.buildEnvSecretName(name)).get() == null);
        assertThat(log.eventsOf(push.id())).allSatisfy(event -> assertThat(event.toString()).doesNotContain(token));
    }

    @Test
    void aDockerfileAtTheTopIsFoundByTheJobsUnpackStepAndABaseThatCannotBePulledIsNamed() throws Exception {
        Event<StageRequested> push = stage("topdocker", Archives.tarGz(Map.of("Dockerfile",
                "FROM registry.example.com/nope/base:1\nRUN true\n")));
        Job buildpacks = awaitJob(push);
        // busybox found the Dockerfile after unpacking: the buildpacks Job ends there
        createPod(buildpacks, List.of(terminated("fetch", 0, 1), exited("unpack", StagingJobs.DOCKERFILE_EXIT,
                StagingJobs.DOCKERFILE_FOUND)), List.of());
        finishFailed(buildpacks);

        Job kaniko = awaitJob(StagingJobs.kanikoJobName(push.data().app(), push.id()));
        assertThat(container(kaniko, "kaniko").getArgs()).contains("--dockerfile=/workspace/app/Dockerfile");
        await().atMost(TIMEOUT).until(() -> KUBE.batch().v1().jobs().inNamespace(NAMESPACE)
                .withName(buildpacks.getMetadata().getName()).get() == null);
        String error = "error building image: GET https://registry.example.com/v2/nope/base/manifests/1: "
                + "UNAUTHORIZED: authentication required; [map[Action:pull Class: Name:nope/base Type:repository]]";
        serveLog(kaniko, "kaniko", "INFO[0000] Retrieving image manifest registry.example.com/nope/base:1",
                "INFO[0000] Retrieving image registry.example.com/nope/base:1 from registry registry.example.com",
                error);
        createPod(kaniko, List.of(terminated("fetch", 0, 1), terminated("unpack", 1, 2), exited("kaniko", 1, null)),
                List.of());
        finishFailed(kaniko);

        StageFailed failure = failed(push);
        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.BASE_IMAGE_UNAVAILABLE);
        assertThat(failure.failure().message()).contains("registry.example.com/nope/base:1", "UNAUTHORIZED", "FROM");
        assertThat(failure.failure().retryable()).isFalse();
        assertThat(loggedBeforeTheEnd(push)).contains(error);
    }

    @Test
    void aBuildEnvNameKanikoWouldReadIsRefusedBeforeAnyJobOrSecret() throws Exception {
        for (String reserved : List.of("HTTPS_PROXY", "docker_config", "SSL_CERT_FILE", "SLIPWAY_REGISTRY")) {
            Event<StageRequested> push = stage("reserved", Archives.tarGz(Map.of("Dockerfile", "FROM busybox\n")),
                    null, new BuildSettings(Map.of(reserved, SECRETS.seal("http://attacker.example.com:3128")), false,
                            "Dockerfile"));

            StageFailed failure = failed(push);

            assertThat(failure.failure().reason()).as(reserved).isEqualTo(ReasonCodes.BUILD_FAILED);
            assertThat(failure.failure().message()).contains(reserved, "reserved", "rename it");
            assertThat(KUBE.batch().v1().jobs().inNamespace(NAMESPACE).withLabel(StagingJobs.APP_LABEL,
                    push.data().app().name()).list().getItems()).isEmpty();
            assertThat(KUBE.secrets().inNamespace(NAMESPACE).withLabel(StagingJobs.APP_LABEL,
                    push.data().app().name()).list().getItems()).isEmpty();
        }
    }

    /** The lines of the push's {@code stage.log} events that came before its last event, in order. */
    private List<String> loggedBeforeTheEnd(Event<StageRequested> push) {
        List<Event<dev.slipway.events.EventData>> events = log.eventsOf(push.id());
        int end = java.util.stream.IntStream.range(0, events.size()).filter(i -> events.get(i)
                .is(EventType.STAGE_SUCCEEDED) || events.get(i).is(EventType.STAGE_FAILED)).findFirst().orElseThrow();
        return events.subList(0, end).stream().filter(event -> event.is(EventType.STAGE_LOG))
                .flatMap(event -> ((StageLogged) event.data()).lines().stream()).toList();
    }

    /** The pod's log as the API server answers a follow with timestamps: what the kubelet kept, then the end. */
    private static void serveLog(Job job, String container, String... lines) {
        StringBuilder body = new StringBuilder();
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
        for (String line : lines) {
            at = at.plusMillis(1);
            body.append(at).append(' ').append(line).append('\n');
        }
        CLUSTER.expect().get().withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + podName(job) + "/log?pretty=false"
                + "&container=" + container + "&timestamps=true&follow=true").andReturn(200, body.toString()).always();
    }

    private static String secretValue(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        return new String(java.util.Base64.getDecoder().decode(secret.getData().get(key)),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ContainerStatus exited(String name, int exitCode, String message) {
        return new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(exitCode)
                .withMessage(message).withStartedAt("2026-01-01T00:00:01Z").withFinishedAt("2026-01-01T00:00:02Z")
                .endTerminated().endState().build();
    }

    private static Job awaitJob(String name) {
        return await().atMost(TIMEOUT).until(() -> KUBE.batch().v1().jobs().inNamespace(NAMESPACE).withName(name)
                .get(), java.util.Objects::nonNull);
    }

    private static String podName(Job job) {
        return job.getMetadata().getName() + "-x7k2p";
    }

    /** What the Job controller reports once the pod failed. */
    private static void finishFailed(Job job) {
        job.setStatus(new JobStatusBuilder().withFailed(1).addNewCondition().withType("Failed").withStatus("True")
                .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                .endCondition().build());
        KUBE.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();
    }

    private static Container container(Job job, String name) {
        return allContainers(job).stream().filter(container -> container.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static List<Container> allContainers(Job job) {
        var pod = job.getSpec().getTemplate().getSpec();
        return java.util.stream.Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList();
    }

    private static Job awaitJob(Event<StageRequested> push) {
        String name = StagingJobs.jobName(push.data().app(), push.id());
        return await().atMost(TIMEOUT).until(() -> KUBE.batch().v1().jobs().inNamespace(NAMESPACE).withName(name)
                .get(), java.util.Objects::nonNull);
    }

    private static void createPod(Job job, List<ContainerStatus> init, List<ContainerStatus> main) {
        KUBE.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
                .withNewMetadata().withName(podName(job)).withNamespace(NAMESPACE)
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
