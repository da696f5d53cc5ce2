package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.deploy.DeployServiceApplication;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Topics;
import dev.slipway.routing.RoutingServiceApplication;
import dev.slipway.staging.StagingServiceApplication;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import dev.slipway.testsupport.registry.RegistryServer;
import dev.slipway.testsupport.s3.S3Server;
import dev.slipway.upload.UploadServiceApplication;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;

/**
 * A whole push through all four services in one JVM, on the real broker, S3 server and registry
 * and real Helm, with fabric8's mock as the Kubernetes API (the test plays the Deployment
 * controller). Staging fails while the registry is down; once it is back, a replay of the push
 * carries it through build, release and routing to online.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushLifecycleTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String PASSWORD = "correct horse battery staple";

    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private S3Server s3;
    private RegistryServer registry;
    private KubernetesMockServer cluster;
    private KubernetesClient kube;
    private ApiClient alice;

    @BeforeAll
    void start() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaCondition.getBroker();
        s3 = S3Server.inMemory();
        registry = RegistryServer.open(Files.createTempDirectory("slipway-registry"));
        BaseImages.pushBusybox(registry.host(), null, null);
        cluster = KubernetesMocks.startHelmServer();
        kube = cluster.createClient();
        Path kubeconfig = Files.writeString(Files.createTempFile("kubeconfig", ".yaml"),
                KubernetesMocks.kubeconfig(cluster, "workspace"));
        List<String> common = List.of("--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--server.port=0", "--spring.cloud.stream.kafka.binder.consumer-properties.auto.offset.reset=earliest",
                "--slipway.s3.endpoint=" + s3.endpoint(), "--slipway.s3.access-key=" + s3.accessKey(),
                "--slipway.s3.secret-key=" + s3.secretKey(), "--slipway.secrets.key=" + "s".repeat(32),
                "--slipway.system-domain=apps.test");
        services.add(run(UploadServiceApplication.application(), common, "--slipway.auth.token-key=" + "k".repeat(32),
                "--slipway.auth.users[0].username=alice",
                "--slipway.auth.users[0].password-hash=" + new BCryptPasswordEncoder(4).encode(PASSWORD),
                "--slipway.auth.users[0].roles[0]=user", "--slipway.auth.users[0].namespaces[0]=workspace"));
        services.add(run(StagingServiceApplication.application(), common,
                "--slipway.staging.build.registry=" + registry.host(), "--slipway.staging.build.attempts=2",
                "--slipway.staging.build.retry-wait=100ms",
                "--slipway.staging.work-dir=" + Files.createTempDirectory("slipway-staging")));
        services.add(run(DeployServiceApplication.application(), common, "--slipway.deploy.kubeconfig=" + kubeconfig,
                "--slipway.deploy.open-api-validation=false", "--slipway.deploy.rollout-timeout=60s"));
        services.add(run(RoutingServiceApplication.application(), common, "--slipway.routing.kubeconfig=" + kubeconfig));
        int port = services.get(0).getEnvironment().getProperty("local.server.port", Integer.class);
        alice = ApiClient.anonymous(port).basic("alice", PASSWORD);
    }

    @AfterAll
    void stop() throws Exception {
        services.forEach(ConfigurableApplicationContext::close);
        if (kube != null) {
            kube.close();
            cluster.destroy();
        }
        if (registry != null) {
            registry.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aStagingThatFailedWhileTheRegistryWasDownCompletesWhenReplayedAfterItIsBack() {
        String base = "/api/v1/namespaces/workspace/applications/site";
        assertThat(alice.post("/api/v1/namespaces/workspace/applications", Map.of("name", "site")).status())
                .isEqualTo(201);
        byte[] archive = Archives.tarGz(Map.of("index.html", "<h1>hello</h1>"));
        String blobUid = alice.upload(base + "/store", "file", () -> new ByteArrayInputStream(archive)).body()
                .path("blobuid").asString();

        registry.close();
        String pushId = alice.post(base + "/stage", Map.of("blobuid", blobUid)).body().path("stage").path("id")
                .asString();
        JsonNode failed = awaitState(pushId, "failed");
        assertThat(failed.path("failure").path("stage").asString()).isEqualTo("staging");
        assertThat(failed.path("failure").path("reason").asString()).isEqualTo(ReasonCodes.REGISTRY_UNAVAILABLE);

        registry.resume();
        ApiClient.Reply replay = alice.post("/api/v1/pushes/" + pushId + "/replay", Map.of());
        assertThat(replay.status()).isEqualTo(202);

        // the Deployment controller's part: the release's pods become ready
        await().atMost(TIMEOUT).until(() -> kube.apps().deployments().inNamespace("workspace").withName("site")
                .get() != null);
        KubernetesMocks.markDeploymentReady(kube, "workspace", "site");
        JsonNode online = awaitState(pushId, "online");

        assertThat(online.path("urls").path(0).asString()).isEqualTo("http://site.apps.test");
        assertThat(online.path("releaseRevision").asInt()).isEqualTo(1);
        assertThat(online.path("image").asString()).isEqualTo(registry.host() + "/workspace-site:" + pushId);
        assertThat(registry.manifest("workspace-site", pushId)).isPresent();
        List<String> types = online.path("events").values().stream().map(event -> event.path("type").asString())
                .toList();
        assertThat(types).containsSubsequence("dev.slipway.stage.requested.v1", "dev.slipway.stage.failed.v1",
                "dev.slipway.stage.requested.v1", "dev.slipway.stage.succeeded.v1", "dev.slipway.app.deployed.v1",
                "dev.slipway.routes.ready.v1");
        assertThat(online.path("events").values().stream().filter(event -> event.has("replayof")).toList())
                .singleElement().satisfies(event -> assertThat(event.path("replayof").asString()).isEqualTo(pushId));
        Ingress ingress = kube.network().v1().ingresses().inNamespace("workspace").withLabel("slipway.dev/app", "site")
                .list().getItems().get(0);
        assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo("site.apps.test");
    }

    private JsonNode awaitState(String pushId, String state) {
        return await().atMost(TIMEOUT).until(() -> alice.get("/api/v1/pushes/" + pushId).body(),
                push -> state.equals(push.path("state").asString()));
    }

    private static ConfigurableApplicationContext run(SpringApplicationBuilder application, List<String> common,
                                                      String... own) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(own));
        return application.run(args.toArray(String[]::new));
    }
}
