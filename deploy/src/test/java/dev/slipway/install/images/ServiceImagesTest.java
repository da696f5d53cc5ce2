package dev.slipway.install.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.events.EventType;
import dev.slipway.events.Topics;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import dev.slipway.testsupport.registry.RegistryServer;
import dev.slipway.testsupport.s3.S3Server;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The four service images as an operator runs them: each {@code <service>/target/jib-image.tar} (made
 * by {@code package}) loaded into podman and started with its settings in environment variables,
 * against a real broker (embedded KRaft), a real S3 server, a real registry and fabric8's mock API
 * server standing in for the cluster (its kubeconfig mounted into deploy and routing). Each service
 * must report UP as a non-root user; then one push goes through them end to end: upload through the
 * API, a build in staging's own stage worker, a Helm release, an Ingress.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceImagesTest {

    private static final List<String> SERVICES = List.of("upload-service", "staging-service", "deploy-service",
            "routing-service");
    private static final Map<String, Integer> IMAGE_PORTS = Map.of("upload-service", 8080, "staging-service", 8081,
            "deploy-service", 8082, "routing-service", 8083);
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String KUBECONFIG_IN_CONTAINER = "/etc/slipway/kubeconfig";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> images = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Long> millisToUp = new LinkedHashMap<>();
    /** Each service's environment and read-only mounts (host file: path in the container). */
    private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    private final Map<String, Map<Path, String>> mounts = new LinkedHashMap<>();
    private final List<String> containers = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    private Path root;
    private String version;
    private RegistryServer registry;
    private KubernetesMockServer cluster;
    private KubernetesClient kube;

    @BeforeAll
    void startTheImages() throws Exception {
        assumeTrue(Podman.installed(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        root = Path.of(System.getProperty("slipway.root", "..")).toAbsolutePath().normalize();
        version = java.util.Objects.requireNonNull(System.getProperty("slipway.version"),
                "slipway.version is set by the deploy module's surefire configuration");
        for (String service : SERVICES) {
            assumeTrue(Files.isRegularFile(tar(service)), "no " + tar(service) + ": the images are made by "
                    + "`./mvnw package` (not with -Djib.skip)");
        }
        try {
            startServers();
            for (String service : SERVICES) {
                images.put(service, Podman.load(tar(service)));
            }
            pushAppBasesFromTheStagingImage();
            // one after the other, so that each time to UP is the service's own (two cores here)
            for (String service : SERVICES) {
                start(service);
            }
        } catch (Exception | AssertionError e) {
            stopAll();
            throw e;
        }
    }

    @AfterAll
    void stopAll() {
        Podman.removeContainers(containers);
        containers.clear();
        images.values().forEach(Podman::removeImage);
        images.clear();
        // the deployment controller first: it watches through the client
        java.util.Collections.reverse(servers);
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception ignored) {
                // the next one is stopped all the same
            }
        }
        servers.clear();
        if (kube != null) {
            kube.close();
            kube = null;
        }
        if (cluster != null) {
            cluster.destroy();
            cluster = null;
        }
    }

    @Test
    void eachServiceRunsAsANonRootUserAndReportsUp() throws Exception {
        for (String service : SERVICES) {
            String image = images.get(service);
            assertThat(health(service)).as(service + " health; logs:\n%s", Podman.logs(container(service)))
                    .isEqualTo("UP");
            Podman.Result uid = Podman.exec(container(service), "/bin/sh", "-c", "id -u");
            assertThat(uid.exitCode()).as(uid.output()).isZero();
            assertThat(uid.output().strip()).as(service + " runs as").isNotEqualTo("0").isEqualTo("10001");
            assertThat(Podman.inspectImage(image, "{{.Config.User}}")).isEqualTo("10001:10001");
            assertThat(Podman.inspectImage(image, "{{json .Config.ExposedPorts}}"))
                    .contains("\"" + IMAGE_PORTS.get(service) + "/tcp\"");
            assertThat(Podman.inspectImage(image, "{{json .Config.Env}}"))
                    .contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError");
            assertThat(Podman.inspectImage(image, "{{index .Config.Labels \"org.opencontainers.image.version\"}}"))
                    .isEqualTo(version);
            assertThat(Podman.inspectImage(image, "{{index .Config.Labels \"org.opencontainers.image.title\"}}"))
                    .isEqualTo(service);
            long size = Long.parseLong(Podman.inspectImage(image, "{{.Size}}"));
            System.out.printf("image %-44s %4d MB in podman, tar %4d MB, podman run to UP %6d ms%n", image,
                    size / 1_000_000, Files.size(tar(service)) / 1_000_000, millisToUp.get(service));
        }
        // staging's spare stage worker runs in the container behind prlimit, with the default 2 GB file-size limit
        Podman.Result worker = Podman.exec(container("staging-service"), "/bin/sh", "-c",
                "for p in /proc/[0-9]*; do if tr '\\0' ' ' < $p/cmdline 2>/dev/null | grep -q StageWorkerMain; then "
                        + "grep 'Max file size' $p/limits; fi; done");
        assertThat(worker.output()).as(worker.output()).contains("2147483648");
        // the user's home and /tmp are writable; the image's files are not
        Podman.Result write = Podman.exec(container("staging-service"), "/bin/sh", "-c",
                "touch /tmp/probe /home/slipway/probe && ! touch /app/probe 2>/dev/null && ! touch /etc/passwd 2>/dev/null");
        assertThat(write.exitCode()).as(write.output()).isZero();
    }

    @Test
    void aStaticSitePushedThroughTheApiIsBuiltDeployedAndRoutedByTheContainers() {
        ApiClient api = ApiClient.anonymous(ports.get("upload-service")).basic(USER, PASSWORD);
        String apps = "/api/v1/namespaces/workspace/applications";
        ApiClient.Reply created = api.post(apps, Map.of("name", "site"));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        byte[] source = Archives.tarGz(Map.of("index.html", "<h1>shipped from the images</h1>"));
        ApiClient.Reply stored = api.upload(apps + "/site/store", "file", () -> new ByteArrayInputStream(source));
        assertThat(stored.status()).as(stored.raw().body()).isEqualTo(200);

        ApiClient.Reply deployment = api.post(apps + "/site/deployments",
                Map.of("blobuid", stored.body().path("blobuid").asString()));

        assertThat(deployment.status()).as(deployment.raw().body()).isEqualTo(202);
        String pushId = deployment.body().path("id").asString();
        JsonNode push = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api.get("/api/v1/pushes/" + pushId).body(),
                        body -> List.of("online", "failed").contains(body.path("state").asString()));
        assertThat(push.path("state").asString()).as("push %s; staging logs:\n%s\ndeploy logs:\n%s", push,
                Podman.logs(container("staging-service")), Podman.logs(container("deploy-service")))
                .isEqualTo("online");
        List<JsonNode> events = push.path("events").values().stream().toList();
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("type").asString()).isEqualTo(EventType.ROUTES_READY.type());
        assertThat(last.path("data").toString()).contains("http://site.apps.test");
        assertThat(push.path("urls").values()).extracting(JsonNode::asString).anyMatch(url ->
                url.startsWith("http://site.apps.test"));
        // staging's worker pushed the app's image to the registry
        String image = push.path("image").asString();
        assertThat(image).startsWith(registry.host() + "/workspace-site:");
        assertThat(registry.manifest("workspace-site", image.substring(image.lastIndexOf(':') + 1))).isPresent();
        // deploy-service's Helm release and routing-service's Ingress are in the cluster
        List<Secret> releases = kube.secrets().inNamespace("workspace").withLabel("owner", "helm")
                .withLabel("name", "site").list().getItems();
        assertThat(releases).extracting(secret -> secret.getMetadata().getLabels().get("status")).contains("deployed");
        List<Ingress> ingresses = kube.network().v1().ingresses().inNamespace("workspace").list().getItems();
        assertThat(ingresses).flatExtracting(ingress -> ingress.getSpec().getRules())
                .extracting(rule -> rule.getHost()).contains("site.apps.test");
    }

    /**
     * The apps' base images, made where docker-compose.yml makes them: by the staging image itself (no jlink,
     * no ldd in it), with the one-shot's command.
     */
    private void pushAppBasesFromTheStagingImage() throws IOException {
        Podman.Result pushed = Podman.runToEnd(images.get("staging-service"), List.of("java", "-cp",
                "@/app/jib-classpath-file", BaseImages.class.getName(), registry.host()));
        assertThat(pushed.exitCode()).as(pushed.output()).isZero();
        assertThat(registry.manifest("slipway/base-busybox", "1")).as("busybox base").isPresent();
        assertThat(registry.manifest("slipway/base-jvm", "1")).as("JVM base, from the image's own runtime")
                .isPresent();
    }

    private void startServers() throws Exception {
        String kafka = EmbeddedKafkaCondition.getBroker().getBrokersAsString();
        S3Server s3 = S3Server.inMemory();
        servers.add(s3);
        Path registryData = Files.createTempDirectory("slipway-images-registry");
        // closed after the registry (servers close in reverse): the pushed images go with it
        servers.add(() -> org.springframework.util.FileSystemUtils.deleteRecursively(registryData));
        registry = RegistryServer.open(registryData);
        servers.add(registry);
        cluster = KubernetesMocks.startHelmServer();
        kube = cluster.createClient();
        servers.add(KubernetesMocks.deploymentController(kube));
        Path kubeconfig = KubernetesMocks.kubeconfigFile(cluster, "workspace");
        // the containers' user is not this one: the (test-only) kubeconfig must be readable to it
        Files.setPosixFilePermissions(kubeconfig, PosixFilePermissions.fromString("rw-r--r--"));

        Map<String, String> common = Map.of("SLIPWAY_KAFKA", kafka,
                "SPRING_CLOUD_STREAM_KAFKA_BINDER_CONSUMERPROPERTIES_AUTO_OFFSET_RESET", "earliest",
                "SLIPWAY_SECRETS_KEY", "s".repeat(32), "SLIPWAY_SYSTEM_DOMAIN", "apps.test",
                // a small heap each: four JVMs share this machine (the image's default is a share of the container's memory)
                "JAVA_TOOL_OPTIONS", "-Xmx384m -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        Map<String, String> s3Settings = Map.of("SLIPWAY_S3_ENDPOINT", s3.endpoint(), "SLIPWAY_S3_ACCESS_KEY",
                s3.accessKey(), "SLIPWAY_S3_SECRET_KEY", s3.secretKey());
        settings.put("upload-service", merge(common, s3Settings, Map.of("SLIPWAY_TOKEN_KEY", "k".repeat(32),
                "SLIPWAY_REGISTRY", registry.host(),
                "SLIPWAY_AUTH_USERS_0_USERNAME", USER,
                "SLIPWAY_AUTH_USERS_0_PASSWORDHASH", new BCryptPasswordEncoder(4).encode(PASSWORD),
                "SLIPWAY_AUTH_USERS_0_ROLES_0", "user", "SLIPWAY_AUTH_USERS_0_NAMESPACES_0", "workspace")));
        settings.put("staging-service", merge(common, s3Settings, Map.of("SLIPWAY_REGISTRY", registry.host(),
                "SLIPWAY_STAGING_BUILD_ATTEMPTS", "2")));
        settings.put("deploy-service", merge(common, Map.of("SLIPWAY_RUNTIME", "kubernetes",
                "SLIPWAY_DEPLOY_KUBECONFIG", KUBECONFIG_IN_CONTAINER, "SLIPWAY_DEPLOY_OPENAPIVALIDATION", "false",
                "SLIPWAY_DEPLOY_ROLLOUTTIMEOUT", "60s")));
        settings.put("routing-service", merge(common, Map.of("SLIPWAY_RUNTIME", "kubernetes",
                "SLIPWAY_ROUTING_KUBECONFIG", KUBECONFIG_IN_CONTAINER)));
        mounts.put("deploy-service", Map.of(kubeconfig, KUBECONFIG_IN_CONTAINER));
        mounts.put("routing-service", Map.of(kubeconfig, KUBECONFIG_IN_CONTAINER));
    }

    private void start(String service) throws Exception {
        int port = FreePorts.next();
        ports.put(service, port);
        // the host's network: the usual port could be taken on a shared machine, so each gets a free one
        Map<String, String> env = merge(settings.get(service), Map.of("SERVER_PORT", String.valueOf(port)));
        containers.add(container(service));
        long started = System.nanoTime();
        Podman.run(container(service), images.get(service), env, mounts.getOrDefault(service, Map.of()));
        try {
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(250)).failFast(() -> !running(service))
                    .until(() -> "UP".equals(health(service)));
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError(service + " did not report UP (" + health(service) + "); its logs:\n"
                    + Podman.logs(container(service)), e);
        }
        millisToUp.put(service, (System.nanoTime() - started) / 1_000_000);
    }

    private boolean running(String service) throws Exception {
        return Podman.running(container(service));
    }

    /** The status {@code /actuator/health} shows anyone (upload-service hides the parts from non-admins). */
    private String health(String service) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + ports.get(service) + "/actuator/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JsonMapper.shared().readTree(response.body()).path("status").asString();
        } catch (Exception notYet) {
            return "UNREACHABLE";
        }
    }

    private String container(String service) {
        return "slipway-images-" + run + "-" + service;
    }

    private Path tar(String service) {
        return root.resolve(service).resolve("target").resolve("jib-image.tar");
    }

    @SafeVarargs
    private static Map<String, String> merge(Map<String, String>... parts) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map<String, String> part : parts) {
            merged.putAll(part);
        }
        return merged;
    }
}
