package dev.slipway.local;

import dev.slipway.deploy.DeployServiceApplication;
import dev.slipway.routing.RoutingServiceApplication;
import dev.slipway.staging.StagingServiceApplication;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import dev.slipway.testsupport.registry.RegistryServer;
import dev.slipway.testsupport.s3.S3Server;
import dev.slipway.upload.UploadServiceApplication;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * All four services in one JVM on a given broker, with a real S3 server (s3proxy), a real registry
 * holding the busybox base image, and real Helm; the Kubernetes API is fabric8's mock, where a
 * stand-in controller makes every Deployment's replicas ready. User {@link #USER} may use
 * namespace workspace.
 */
final class KubernetesPipeline implements AutoCloseable {

    static final String USER = "alice";
    static final String PASSWORD = "correct horse battery staple";

    final S3Server s3;
    final RegistryServer registry;
    final KubernetesMockServer cluster;
    final KubernetesClient kube;
    private final AutoCloseable deploymentController;
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();

    KubernetesPipeline(String bootstrapServers) throws Exception {
        s3 = S3Server.inMemory();
        registry = RegistryServer.open(Files.createTempDirectory("slipway-registry"));
        BaseImages.pushBusybox(registry.host(), null, null);
        cluster = KubernetesMocks.startHelmServer();
        kube = cluster.createClient();
        deploymentController = KubernetesMocks.deploymentController(kube);
        // the routing claims' namespace is the platform's own, there before routing starts (as with the chart)
        KubernetesMocks.createNamespace(kube, "slipway-system");
        // each service with its own token: what it asks of the API is recorded as its own
        Path deployKubeconfig = KubernetesMocks.serviceKubeconfigFile(cluster, "workspace", "deploy");
        Path routingKubeconfig = KubernetesMocks.serviceKubeconfigFile(cluster, "workspace", "routing");
        List<String> common = List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers,
                "--server.port=0", "--spring.cloud.stream.kafka.binder.consumer-properties.auto.offset.reset=earliest",
                "--slipway.s3.endpoint=" + s3.endpoint(), "--slipway.s3.access-key=" + s3.accessKey(),
                "--slipway.s3.secret-key=" + s3.secretKey(), "--slipway.secrets.key=" + "s".repeat(32),
                "--slipway.system-domain=apps.test");
        services.add(run(UploadServiceApplication.application(), common, "--slipway.auth.token-key=" + "k".repeat(32),
                "--slipway.registry=" + registry.host(), "--slipway.webhooks.allowed-ranges=127.0.0.1/32",
                "--slipway.auth.users[0].username=" + USER,
                "--slipway.auth.users[0].password-hash=" + new BCryptPasswordEncoder(4).encode(PASSWORD),
                "--slipway.auth.users[0].roles[0]=user", "--slipway.auth.users[0].namespaces[0]=workspace"));
        services.add(run(StagingServiceApplication.application(), common,
                "--slipway.staging.build.registry=" + registry.host(), "--slipway.staging.build.attempts=2",
                "--slipway.staging.build.retry-wait=100ms",
                "--slipway.staging.work-dir=" + Files.createTempDirectory("slipway-staging")));
        services.add(run(DeployServiceApplication.application(), common, "--slipway.deploy.kubeconfig=" + deployKubeconfig,
                "--slipway.deploy.open-api-validation=false", "--slipway.deploy.rollout-timeout=60s"));
        services.add(run(RoutingServiceApplication.application(), common, "--slipway.routing.kubeconfig=" + routingKubeconfig));
    }

    /** The API's address, as {@code slipway login} takes it. */
    String apiUrl() {
        return "http://127.0.0.1:" + services.get(0).getEnvironment().getProperty("local.server.port");
    }

    @Override
    public void close() throws Exception {
        services.forEach(ConfigurableApplicationContext::close);
        deploymentController.close();
        kube.close();
        cluster.destroy();
        registry.close();
        s3.close();
    }

    private static ConfigurableApplicationContext run(SpringApplicationBuilder application, List<String> common,
                                                      String... own) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(own));
        return application.run(args.toArray(String[]::new));
    }
}
