package dev.slipway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.slipway.deploy.release.ReleaseHistory;
import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.AppState;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.ReservedNamespaces;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.Topics;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The walls around releases, attacked through the event log, with real Helm (helm-java) against
 * fabric8's CRUD mock API server (no API server runs here). A team's own release named like a
 * Slipway app, an app aimed at kube-system, and the values files that hold decrypted env.
 */
@SpringBootTest(properties = {"spring.config.name=deploy-service", "server.port=0",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "slipway.deploy.open-api-validation=false", "slipway.deploy.helm-timeout=60s",
        "slipway.secrets.key=" + ReleaseWallsTest.SECRETS_KEY, "slipway.deploy.rollout-timeout=20s",
        "slipway.namespaces.reserved=platform-extra"})
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseWallsTest {

    static final String SECRETS_KEY = "release-walls-secrets-key-0123456789ab";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final URI UPLOAD = URI.create("/slipway/upload-service");
    private static final URI STAGING = URI.create("/slipway/staging-service");
    private static final KubernetesMockServer CLUSTER = KubernetesMocks.startHelmServer();
    private static final KubernetesClient KUBE = CLUSTER.createClient();
    private static final String KUBECONFIG = KubernetesMocks.kubeconfig(CLUSTER, "workspace");
    private static final Path VALUES = folder("slipway-values-test");

    @Autowired
    EmbeddedKafkaBroker embeddedKafka;

    private EventLog log;

    @DynamicPropertySource
    static void cluster(DynamicPropertyRegistry registry) throws Exception {
        Path kubeconfig = KubernetesMocks.serviceKubeconfigFile(CLUSTER, "workspace", "deploy");
        registry.add("slipway.deploy.kubeconfig", kubeconfig::toString);
        registry.add("slipway.deploy.values-dir", VALUES::toString);
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
    void aTeamsOwnReleaseNamedLikeTheAppIsNeverUpgradedRolledBackOrUninstalled() throws Exception {
        String namespace = "team-" + UUID.randomUUID().toString().substring(0, 6);
        AppRef app = new AppRef(namespace, "postgres");
        installForeignChart(namespace, "postgres");

        // a push of an app called postgres into that namespace
        Event<StageSucceeded> push = log.publish(staging(app, UUID.randomUUID().toString()));
        DeployFailed refused = (DeployFailed) log.awaitEvent(push.correlationId(), EventType.DEPLOY_FAILED, TIMEOUT)
                .data();
        assertThat(refused.failure().reason()).isEqualTo(ReasonCodes.RELEASE_NOT_OWNED);
        assertThat(refused.failure().retryable()).isFalse();
        assertThat(refused.failure().message()).contains("postgres", namespace, "not made by Slipway",
                "helm uninstall -n " + namespace + " postgres");

        // a rollback of it
        Event<DeployRequested> rollback = log.publish(Event.start(UPLOAD, new DeployRequested(
                UUID.randomUUID().toString(), app, DeployAction.ROLLBACK, null, null, 1, settings(1))));
        assertThat(((DeployFailed) log.awaitEvent(rollback.id(), EventType.DEPLOY_FAILED, TIMEOUT).data())
                .failure().reason()).isEqualTo(ReasonCodes.RELEASE_NOT_OWNED);

        // its deletion, then (same key, so handled after it) a push of another app
        String key = UUID.randomUUID().toString();
        log.publish(Event.start(UPLOAD, new AppDeleted(key, app, "mallory")));
        AppRef after = new AppRef("workspace", "after-" + UUID.randomUUID().toString().substring(0, 6));
        Event<StageSucceeded> next = log.publish(staging(after, key));
        awaitDeployment(after, next.data().stageId());
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", after.name());
        log.awaitEvent(next.correlationId(), EventType.APP_DEPLOYED, TIMEOUT);

        assertThat(helmList(namespace)).singleElement().satisfies(release -> {
            assertThat(release.getName()).isEqualTo("postgres");
            assertThat(release.getRevision()).isEqualTo("1");
            assertThat(release.getStatus()).isEqualTo("deployed");
            assertThat(release.getChart()).isEqualTo("team-postgres-1.0.0");
        });
        ConfigMap data = KUBE.configMaps().inNamespace(namespace).withName("postgres-settings").get();
        assertThat(data.getData()).containsEntry("owner", "team-a");
        assertThat(KUBE.apps().deployments().inNamespace(namespace).withName("postgres").get()).isNull();
    }

    @Test
    void appsAimedAtReservedNamespacesAreRefusedAndNothingIsInstalledThere() {
        for (String namespace : List.of("kube-system", "default", "platform-extra")) {
            AppRef app = new AppRef(namespace, "coredns");
            Event<StageSucceeded> push = log.publish(staging(app, UUID.randomUUID().toString()));

            DeployFailed refused = (DeployFailed) log.awaitEvent(push.correlationId(), EventType.DEPLOY_FAILED,
                    TIMEOUT).data();

            assertThat(refused.failure().reason()).isEqualTo(ReasonCodes.NAMESPACE_RESERVED);
            assertThat(refused.failure().retryable()).isFalse();
            assertThat(refused.failure().message()).contains(namespace, ReservedNamespaces.SETTING);
            assertThat(helmList(namespace)).isEmpty();
            assertThat(KUBE.apps().deployments().inNamespace(namespace).withName("coredns").get()).isNull();
        }
    }

    @Test
    void slipwaysReleasesCarryItsMarkAndTheirDecryptedValuesLeaveNoFileBehind() throws Exception {
        AppRef app = new AppRef("workspace", "marked-" + UUID.randomUUID().toString().substring(0, 6));
        String secret = "s3cr3t-" + UUID.randomUUID();
        AppSettings settings = configure(app, Map.of("DATABASE_PASSWORD", secret));
        Event<StageSucceeded> first = log.publish(staging(app, UUID.randomUUID().toString(), settings));
        awaitDeployment(app, first.data().stageId());
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());
        log.awaitEvent(first.correlationId(), EventType.APP_DEPLOYED, TIMEOUT);
        // a second push upgrades the release: it is Slipway's, so it may
        Event<StageSucceeded> second = log.publish(staging(app, UUID.randomUUID().toString(), settings));
        Deployment upgraded = awaitDeployment(app, second.data().stageId());
        KubernetesMocks.markDeploymentReady(KUBE, "workspace", app.name());
        assertThat(((AppDeployed) log.awaitEvent(second.correlationId(), EventType.APP_DEPLOYED, TIMEOUT).data())
                .releaseRevision()).isEqualTo(2);

        var mark = new ReleaseHistory(KUBE).record("workspace", app.name(), 2).orElseThrow().path("config")
                .path("slipway");
        assertThat(mark.path("managedBy").asString()).isEqualTo("slipway");
        assertThat(mark.path("app").asString()).isEqualTo("workspace/" + app.name());
        assertThat(upgraded.getMetadata().getLabels()).containsEntry("slipway.dev/managed-by", "slipway");
        assertThat(KubernetesMocks.appEnv(KUBE, "workspace", app.name())).containsValue(secret);
        assertThat(leftInValuesFolder()).isEmpty();
    }

    @Test
    void aHelmCallThatFailsLeavesNoValuesFileAndAForeignDeploymentUntouched() throws Exception {
        AppRef app = new AppRef("workspace", "taken-" + UUID.randomUUID().toString().substring(0, 6));
        // a Deployment of the app's name that Helm did not make: Helm refuses to adopt it
        KUBE.apps().deployments().inNamespace("workspace").resource(new DeploymentBuilder().withNewMetadata()
                .withName(app.name()).withNamespace("workspace").endMetadata().withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("team", "db").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("team", "db").endMetadata().withNewSpec().addNewContainer().withName("db").withImage("postgres:17")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        AppSettings settings = configure(app, Map.of("API_KEY", "never-on-disk"));

        Event<StageSucceeded> push = log.publish(staging(app, UUID.randomUUID().toString(), settings));
        DeployFailed failed = (DeployFailed) log.awaitEvent(push.correlationId(), EventType.DEPLOY_FAILED, TIMEOUT)
                .data();

        assertThat(failed.failure().reason()).as(failed.failure().message())
                .isEqualTo(ReasonCodes.CHART_RENDER_FAILED);
        assertThat(leftInValuesFolder()).isEmpty();
        assertThat(KUBE.apps().deployments().inNamespace("workspace").withName(app.name()).get().getSpec()
                .getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("postgres:17");
    }

    /** A team's own chart, installed with Helm by the team itself: a ConfigMap it cares about. */
    private static void installForeignChart(String namespace, String name) throws IOException {
        Path chart = Files.createTempDirectory("team-chart");
        Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: team-postgres\nversion: 1.0.0\n");
        Files.createDirectories(chart.resolve("templates"));
        Files.writeString(chart.resolve("templates/configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: {{ .Release.Name }}-settings\ndata:\n  owner: team-a\n");
        new Helm(chart).install().withName(name).withNamespace(namespace).disableOpenApiValidation()
                .withKubeConfigContents(KUBECONFIG).call();
    }

    /** The app's configuration as upload-service stores it, its env sealed; settings that point at it. */
    private AppSettings configure(AppRef app, Map<String, String> env) throws Exception {
        SecretBox box = new SecretBox(SECRETS_KEY);
        Map<String, String> sealed = new java.util.HashMap<>();
        env.forEach((name, value) -> sealed.put(name, box.seal(value)));
        AppState state = new AppState(app.namespace(), app.name(), "alice", java.time.Instant.now(), 1, true,
                List.of(), sealed, 1, null, null, null, null);
        try (var producer = new KafkaProducer<String, byte[]>(Map.of("bootstrap.servers",
                embeddedKafka.getBrokersAsString()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("slipway.apps", app.namespace() + "/" + app.name(),
                    EventJson.mapper().writeValueAsBytes(state))).get();
        }
        return new AppSettings(1, true, List.of(), AppState.configurationRef(app, 1));
    }

    private static Event<StageSucceeded> staging(AppRef app, String blobUid) {
        return staging(app, blobUid, settings(1));
    }

    private static Event<StageSucceeded> staging(AppRef app, String blobUid, AppSettings settings) {
        Event<StageRequested> request = Event.start(UPLOAD, new StageRequested(blobUid, app, null, settings, null));
        return request.next(STAGING, new StageSucceeded(blobUid, app, request.id(),
                "127.0.0.1:5000/" + app.namespace() + "-" + app.name() + ":" + request.id(),
                "sha256:" + "ab".repeat(32), "static", Map.of(), settings));
    }

    private static AppSettings settings(int instances) {
        return new AppSettings(instances, true, List.of(), null);
    }

    private static Deployment awaitDeployment(AppRef app, String stageId) {
        return org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> KUBE.apps().deployments()
                .inNamespace(app.namespace()).withName(app.name()).get(), deployment -> deployment != null
                && Objects.equals(stageId, deployment.getMetadata().getLabels().get("slipway.dev/stage-id")));
    }

    private static List<Release> helmList(String namespace) {
        return Helm.list().all().withNamespace(namespace).withKubeConfigContents(KUBECONFIG).call();
    }

    private static List<Path> leftInValuesFolder() throws IOException {
        try (Stream<Path> left = Files.walk(VALUES)) {
            return left.filter(path -> !path.equals(VALUES)).toList();
        }
    }

    private static Path folder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
