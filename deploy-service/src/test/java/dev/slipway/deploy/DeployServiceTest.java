package dev.slipway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppReleases;
import dev.slipway.events.AppSettings;
import dev.slipway.events.AppState;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployChange;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.Topics;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.events.spring.DeadLetterErrorHandling;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kafka.TopicReader;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import dev.slipway.testsupport.metrics.Scrape;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * deploy-service with real Helm (helm-java) against fabric8's CRUD mock API server, the one stand-in
 * (no API server runs here). The mock has no OpenAPI, so Helm's schema validation is off in this test
 * only; the test plays the Deployment controller by marking Deployments ready.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=deploy-service", "server.port=0",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "slipway.deploy.open-api-validation=false", "slipway.deploy.helm-timeout=60s",
        "slipway.secrets.key=" + DeployServiceTest.SECRETS_KEY,
        "slipway.deploy.rollout-timeout=20s"})
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployServiceTest {

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    /**
     * This context's own broker: the system property names the broker of whichever context started
     * last, which is another class's once contexts are cached and reused.
     */
    @org.springframework.beans.factory.annotation.Autowired
    EmbeddedKafkaBroker embeddedKafka;

    static final String SECRETS_KEY = "deploy-test-secrets-key-0123456789abcdef";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final URI STAGING = URI.create("/slipway/staging-service");
    private static final KubernetesMockServer CLUSTER = KubernetesMocks.startHelmServer();
    private static final KubernetesClient KUBE = CLUSTER.createClient();
    private static final String KUBECONFIG = KubernetesMocks.kubeconfig(CLUSTER, "workspace");

    private EventLog log;

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) throws Exception {
        Path kubeconfig = KubernetesMocks.serviceKubeconfigFile(CLUSTER, "workspace", "deploy");
        registry.add("slipway.deploy.kubeconfig", kubeconfig::toString);
    }

    @BeforeAll
    void openLog() {
        log = new EventLog(embeddedKafka.getBrokersAsString());
    }

    @AfterAll
    void close() {
        log.close();
        KUBE.close();
        CLUSTER.destroy();
    }

    @Test
    void aStagedImageBecomesAHelmReleaseAndAnAppDeployedOnceReadyAndDeletionUninstallsIt() {
        AppRef app = new AppRef("workspace", "web-" + UUID.randomUUID().toString().substring(0, 6));
        Event<StageSucceeded> staged = staged(app, 2);

        Deployment deployment = awaitDeployment(app, staged.data().stageId());
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo(staged.data().image());
        assertThat(container.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("PORT");
            assertThat(env.getValue()).isEqualTo("8080");
        });
        assertThat(deployment.getMetadata().getLabels()).containsEntry("slipway.dev/blob-uid", staged.data().blobUid());
        assertThat(KUBE.services().inNamespace("workspace").withName(app.name()).get()).isNotNull();
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());

        AppDeployed deployed = (AppDeployed) log.awaitEvent(staged.correlationId(), EventType.APP_DEPLOYED, TIMEOUT)
                .data();
        assertThat(deployed.releaseRevision()).isEqualTo(1);
        assertThat(deployed.readyInstances()).isEqualTo(2);
        assertThat(deployed.desiredInstances()).isEqualTo(2);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Scrape scrape = Scrape.of(ApiClient.anonymous(port));
            assertThat(scrape.sum("slipway_deploy_outcomes_total", Map.of("outcome", "deployed", "reason", "NONE")))
                    .isGreaterThanOrEqualTo(1);
            assertThat(scrape.values("slipway_deploy_duration_seconds_bucket", Map.of("outcome", "deployed")))
                    .as("a histogram, for percentiles").hasSizeGreaterThan(5);
            assertThat(scrape.text()).contains("kafka_consumer_fetch_manager_records_lag_max")
                    .doesNotContain(app.name());
        });
        assertThat(helmList()).anySatisfy(release -> {
            assertThat(release.getName()).isEqualTo(app.name());
            assertThat(release.getStatus()).isEqualTo("deployed");
        });

        // deleting the app uninstalls its release
        log.publish(Event.start(URI.create("/slipway/upload-service"), new dev.slipway.events.AppDeleted(
                UUID.randomUUID().toString(), app, "alice")));
        await().atMost(TIMEOUT).until(() -> helmList().stream().noneMatch(release -> release.getName()
                .equals(app.name())));
        assertThat(KUBE.apps().deployments().inNamespace("workspace").withName(app.name()).get()).isNull();
        assertThat(KUBE.services().inNamespace("workspace").withName(app.name()).get()).isNull();
        // and its releases are forgotten: a tombstone after the entry of revision 1
        try (TopicReader releases = new TopicReader(embeddedKafka.getBrokersAsString(), Topics.RELEASES)) {
            List<ConsumerRecord<String, byte[]>> records = releases.awaitCount(record -> record.key()
                    .equals(app.toString()), 2, TIMEOUT);
            assertThat(EventJson.mapper().readValue(records.get(0).value(), AppReleases.class).current().revision())
                    .isEqualTo(1);
            assertThat(records.get(records.size() - 1).value()).isNull();
        }
    }

    @Test
    void aSecondPushIsRevisionTwoARedeliveryChangesNothingAndRollbackRestoresTheFirstImage() {
        AppRef app = new AppRef("workspace", "api-" + UUID.randomUUID().toString().substring(0, 6));
        Event<StageSucceeded> first = staged(app, 1);
        awaitDeployment(app, first.data().stageId());
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());
        log.awaitEvent(first.correlationId(), EventType.APP_DEPLOYED, TIMEOUT);

        Event<StageSucceeded> second = staged(app, 1);
        awaitDeployment(app, second.data().stageId());
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());
        AppDeployed upgraded = (AppDeployed) log.awaitEvent(second.correlationId(), EventType.APP_DEPLOYED, TIMEOUT)
                .data();
        assertThat(upgraded.releaseRevision()).isEqualTo(2);
        assertThat(upgraded.image()).isEqualTo(second.data().image());

        log.publish(second);  // redelivered
        await().atMost(TIMEOUT).until(() -> log.eventsOf(second.correlationId()).stream()
                .filter(event -> event.is(EventType.APP_DEPLOYED)).count() == 2);
        List<AppDeployed> answers = log.eventsOf(second.correlationId()).stream()
                .filter(event -> event.is(EventType.APP_DEPLOYED)).map(event -> (AppDeployed) event.data()).toList();
        assertThat(answers.get(1).releaseRevision()).isEqualTo(2);
        assertThat(helmList()).filteredOn(release -> release.getName().equals(app.name())).singleElement()
                .satisfies(release -> assertThat(release.getRevision()).isEqualTo("2"));

        // rollback to the previous revision: a third revision running the first image again
        Event<DeployRequested> rollback = log.publish(Event.start(URI.create("/slipway/upload-service"),
                new DeployRequested(first.data().blobUid(), app, DeployAction.ROLLBACK, null, null, null,
                        new AppSettings(1, true, List.of(), null))));
        await().atMost(TIMEOUT).until(() -> first.data().image().equals(KUBE.apps().deployments()
                .inNamespace("workspace").withName(app.name()).get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()));
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());
        AppDeployed rolledBack = (AppDeployed) log.awaitEvent(rollback.id(), EventType.APP_DEPLOYED, TIMEOUT).data();
        assertThat(rolledBack.releaseRevision()).isEqualTo(3);
        assertThat(rolledBack.image()).isEqualTo(first.data().image());
        assertThat(rolledBack.stageId()).isEqualTo(first.data().stageId());

        // the releases as upload-service reads them: the rollback is current, the redelivery added nothing
        AppReleases releases = releasesOf(app, 3);
        assertThat(releases.current().image()).isEqualTo(first.data().image());
        assertThat(releases.current().stageId()).isEqualTo(first.data().stageId());
        assertThat(releases.current().instances()).isEqualTo(1);
        assertThat(releases.earlier()).extracting(AppReleases.Release::revision).containsExactly(2, 1);
        assertThat(releases.earlier().get(0).image()).isEqualTo(second.data().image());
        assertThat(releases.earlier().get(0).at()).isBefore(releases.current().at());
    }

    @Test
    void aRollbackThatTheVersionBeforeAppliedIsRecognisedWhenRedeliveredAndANewRollbackStillGoesBack()
            throws Exception {
        AppRef app = new AppRef("workspace", "old-" + UUID.randomUUID().toString().substring(0, 6));
        try (AutoCloseable controller = KubernetesMocks.deploymentController(KUBE)) {
            Event<StageSucceeded> first = staged(app, 1);
            log.awaitEvent(first.correlationId(), EventType.APP_DEPLOYED, TIMEOUT);
            Event<StageSucceeded> second = staged(app, 1);
            log.awaitEvent(second.correlationId(), EventType.APP_DEPLOYED, TIMEOUT);
            Event<DeployRequested> rollback = log.publish(Event.start(URI.create("/slipway/upload-service"),
                    new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.ROLLBACK, null, null, null,
                            new AppSettings(1, true, List.of(), null))));
            assertThat(((AppDeployed) log.awaitEvent(rollback.id(), EventType.APP_DEPLOYED, TIMEOUT).data())
                    .releaseRevision()).isEqualTo(3);

            // the Deployment as the version before labelled it: the blob uid on its pod template only
            KUBE.apps().deployments().inNamespace("workspace").withName(app.name()).edit(deployment ->
                    new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(deployment).editMetadata()
                            .removeFromLabels("slipway.dev/blob-uid").endMetadata().editSpec().editTemplate()
                            .editMetadata().addToLabels("slipway.dev/blob-uid", rollback.data().blobUid())
                            .endMetadata().endTemplate().endSpec().build());
            log.publish(rollback);  // redelivered to this version

            await().atMost(TIMEOUT).until(() -> log.eventsOf(rollback.id()).stream()
                    .filter(event -> event.is(EventType.APP_DEPLOYED)).count() == 2);
            AppDeployed again = (AppDeployed) log.eventsOf(rollback.id()).stream()
                    .filter(event -> event.is(EventType.APP_DEPLOYED)).reduce((a, b) -> b).orElseThrow().data();
            assertThat(again.releaseRevision()).as("not rolled back once more").isEqualTo(3);
            assertThat(again.image()).isEqualTo(first.data().image());
            assertThat(helmList()).filteredOn(release -> release.getName().equals(app.name())).singleElement()
                    .satisfies(release -> assertThat(release.getRevision()).isEqualTo("3"));

            // another rollback is another request: it goes back, to the second push's image
            Event<DeployRequested> next = log.publish(Event.start(URI.create("/slipway/upload-service"),
                    new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.ROLLBACK, null, null, null,
                            new AppSettings(1, true, List.of(), null))));
            AppDeployed back = (AppDeployed) log.awaitEvent(next.id(), EventType.APP_DEPLOYED, TIMEOUT).data();
            assertThat(back.releaseRevision()).isEqualTo(4);
            assertThat(back.image()).isEqualTo(second.data().image());
        }
    }

    @Test
    void aRestartOfTheRunningImageIsANewRevisionWhosePodTemplateChangesAndALaterScaleChangesOnlyTheReplicas() {
        AppRef app = new AppRef("workspace", "rs-" + UUID.randomUUID().toString().substring(0, 6));
        Event<StageSucceeded> first = staged(app, 1);
        awaitDeployment(app, first.data().stageId());
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());
        log.awaitEvent(first.correlationId(), EventType.APP_DEPLOYED, TIMEOUT);

        // the same image, stage and settings: only the restart tells Kubernetes to replace the pods
        Event<DeployRequested> restart = log.publish(Event.start(URI.create("/slipway/upload-service"),
                new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.DEPLOY, first.data().stageId(),
                        first.data().image(), null, first.data().settings(), DeployChange.RESTART)));
        Deployment restarted = await().atMost(TIMEOUT).until(() -> KUBE.apps().deployments().inNamespace("workspace")
                .withName(app.name()).get(), deployment -> deployment.getSpec().getTemplate().getMetadata()
                .getAnnotations() != null && deployment.getSpec().getTemplate().getMetadata().getAnnotations()
                .containsKey("slipway.dev/restarted-by"));
        assertThat(restarted.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("slipway.dev/restarted-by", restart.data().blobUid());
        assertThat(restarted.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo(first.data().image());
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());
        AppDeployed afterRestart = (AppDeployed) log.awaitEvent(restart.id(), EventType.APP_DEPLOYED, TIMEOUT).data();
        assertThat(afterRestart.releaseRevision()).isEqualTo(2);
        assertThat(afterRestart.stageId()).isEqualTo(first.data().stageId());

        Event<DeployRequested> scale = log.publish(Event.start(URI.create("/slipway/upload-service"),
                new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.DEPLOY, first.data().stageId(),
                        first.data().image(), null, new AppSettings(3, true, List.of(), null), DeployChange.SCALE)));
        Deployment scaled = await().atMost(TIMEOUT).until(() -> KUBE.apps().deployments().inNamespace("workspace")
                .withName(app.name()).get(), deployment -> deployment.getSpec().getReplicas() == 3);
        // the pod template stays the restart's: a scale adds pods and replaces none
        assertThat(scaled.getSpec().getTemplate()).isEqualTo(restarted.getSpec().getTemplate());
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());
        AppDeployed afterScale = (AppDeployed) log.awaitEvent(scale.id(), EventType.APP_DEPLOYED, TIMEOUT).data();
        assertThat(afterScale.releaseRevision()).isEqualTo(3);
        assertThat(afterScale.desiredInstances()).isEqualTo(3);
    }

    /** The app's entry in slipway.releases once its current revision is {@code revision}. */
    private AppReleases releasesOf(AppRef app, int revision) {
        try (TopicReader releases = new TopicReader(embeddedKafka.getBrokersAsString(), Topics.RELEASES)) {
            ConsumerRecord<String, byte[]> record = releases.await(candidate -> candidate.key().equals(app.toString())
                    && candidate.value() != null && EventJson.mapper().readValue(candidate.value(), AppReleases.class)
                    .current().revision() == revision, TIMEOUT);
            return EventJson.mapper().readValue(record.value(), AppReleases.class);
        }
    }

    @Test
    void theAppsEnvVarsReachTheReleaseFromItsSealedConfiguration() throws Exception {
        AppRef app = new AppRef("workspace", "envy-" + UUID.randomUUID().toString().substring(0, 6));
        SecretBox box = new SecretBox(SECRETS_KEY);
        AppState state = new AppState(app.namespace(), app.name(), "alice", java.time.Instant.now(), 1, true,
                List.of(), Map.of("GREETING", box.seal("hello from the vault")), 3, null, null, null, null);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                "bootstrap.servers", embeddedKafka.getBrokersAsString()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("slipway.apps",
                    app.namespace() + "/" + app.name(), dev.slipway.events.EventJson.mapper().writeValueAsBytes(state)))
                    .get();
        }
        AppSettings settings = new AppSettings(1, true, List.of(), AppState.configurationRef(app, 3));
        String blobUid = UUID.randomUUID().toString();
        Event<StageRequested> request = log.publish(Event.start(URI.create("/slipway/upload-service"),
                new StageRequested(blobUid, app, null, settings, null)));
        log.publish(request.next(STAGING, new StageSucceeded(blobUid, app, request.id(), "img:" + request.id(),
                "sha256:" + "cd".repeat(32), "static", Map.of(), settings)));

        Deployment deployment = awaitDeployment(app, request.id());

        assertThat(KubernetesMocks.appEnv(KUBE, "workspace", app.name())).containsEntry("GREETING",
                "hello from the vault");
        assertThat(deployment.toString()).as("values stay out of the Deployment").doesNotContain("hello from the vault");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("slipway.dev/configuration", settings.configurationRef());
        assertThat(log.eventsOf(request.id()).toString()).doesNotContain("hello from the vault");
    }

    @Test
    void aRolloutThatNeverBecomesReadyFailsAsRolloutTimeout() {
        AppRef app = new AppRef("workspace", "stuck-" + UUID.randomUUID().toString().substring(0, 6));
        Event<StageSucceeded> staged = staged(app, 1);

        Event<EventData> failed = log.awaitEvent(staged.correlationId(), EventType.DEPLOY_FAILED, TIMEOUT);

        DeployFailed failure = (DeployFailed) failed.data();
        assertThat(failure.failure().reason()).as(failure.failure().message()).isEqualTo(ReasonCodes.ROLLOUT_TIMEOUT);
        assertThat(failure.failure().retryable()).isTrue();
        assertThat(failure.failure().message()).contains("0 of 1 instances ready", "$PORT");
        assertThat(failure.request().image()).isEqualTo(staged.data().image());
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(Scrape.of(ApiClient.anonymous(port))
                .sum("slipway_deploy_outcomes_total", Map.of("outcome", "failed", "reason", ReasonCodes.ROLLOUT_TIMEOUT)))
                .isGreaterThanOrEqualTo(1));
    }

    @Test
    void anImageThatCannotBePulledFailsAsImagePullFailed() {
        AppRef app = new AppRef("workspace", "nopull-" + UUID.randomUUID().toString().substring(0, 6));
        Event<StageSucceeded> staged = staged(app, 1);
        awaitDeployment(app, staged.data().stageId());
        // what the kubelet reports for a pod whose image does not exist
        KUBE.pods().inNamespace("workspace").resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata().withName(app.name() + "-abc12").addToLabels("slipway.dev/app", app.name())
                .endMetadata()
                .withNewStatus().addNewContainerStatus().withName("app").withImage(staged.data().image())
                .withNewState().withNewWaiting().withReason("ErrImagePull").endWaiting().endState()
                .endContainerStatus().endStatus().build()).create();

        DeployFailed failure = (DeployFailed) log.awaitEvent(staged.correlationId(), EventType.DEPLOY_FAILED, TIMEOUT)
                .data();

        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.IMAGE_PULL_FAILED);
        assertThat(failure.failure().message()).contains(staged.data().image(), "ErrImagePull");
        assertThat(failure.failure().retryable()).isFalse();
    }

    @Test
    void aStagedImageThatCrashedTheServiceThreeTimesIsFailedAsCrashedAndTheNextRecordIsDeployed() {
        AppRef app = new AppRef("workspace", "crash-" + UUID.randomUUID().toString().substring(0, 6));
        String blobUid = UUID.randomUUID().toString();
        Event<StageSucceeded> crasher = staging(app, 1, blobUid);
        log.markUnfinishedAttempts("deploy-service", crasher, 3);
        log.publish(crasher);
        Event<StageSucceeded> next = log.publish(staging(app, 1, blobUid));  // same partition, after it

        DeployFailed crashed = (DeployFailed) log.awaitEvent(crasher.correlationId(), EventType.DEPLOY_FAILED, TIMEOUT)
                .data();

        assertThat(crashed.failure().reason()).isEqualTo(ReasonCodes.STAGE_CRASHED);
        assertThat(crashed.failure().retryable()).isFalse();
        assertThat(crashed.failure().message()).contains("crashed deploy-service 3 times",
                "slipway replay " + crasher.correlationId());
        assertThat(crashed.request().action()).isEqualTo(DeployAction.DEPLOY);
        assertThat(crashed.request().image()).isEqualTo(crasher.data().image());
        try (var deadLetters = log.topic(Topics.deadLetter("deploy-service"))) {
            var dead = deadLetters.await(record -> crasher.id().equals(EventLog.header(record, "ce_id")), TIMEOUT);
            assertThat(EventLog.header(dead, DeadLetterErrorHandling.REASON_HEADER)).startsWith("STAGE_CRASHED");
        }
        awaitDeployment(app, next.data().stageId());
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());
        AppDeployed deployed = (AppDeployed) log.awaitEvent(next.correlationId(), EventType.APP_DEPLOYED, TIMEOUT)
                .data();
        assertThat(deployed.releaseRevision()).as("the crashed image was never released").isEqualTo(1);
    }

    private Event<StageSucceeded> staged(AppRef app, int instances) {
        return log.publish(staging(app, instances, UUID.randomUUID().toString()));
    }

    /** What staging answers a new push of {@code app}, not yet published. */
    private static Event<StageSucceeded> staging(AppRef app, int instances, String blobUid) {
        Event<StageRequested> request = Event.start(URI.create("/slipway/upload-service"), new StageRequested(blobUid,
                app, null, new AppSettings(instances, true, List.of(), null), null));
        String stageId = request.id();
        return request.next(STAGING, new StageSucceeded(blobUid, app, stageId,
                "127.0.0.1:5000/" + app.namespace() + "-" + app.name() + ":" + stageId, "sha256:" + "ab".repeat(32),
                "static", Map.of(), new AppSettings(instances, true, List.of(), null)));
    }

    private static Deployment awaitDeployment(AppRef app, String stageId) {
        return await().atMost(TIMEOUT).until(() -> KUBE.apps().deployments().inNamespace(app.namespace())
                .withName(app.name()).get(), deployment -> deployment != null && Objects.equals(stageId,
                deployment.getMetadata().getLabels().get("slipway.dev/stage-id")));
    }

    private static List<Release> helmList() {
        return Helm.list().withNamespace("workspace").withKubeConfigContents(KUBECONFIG).call();
    }
}
