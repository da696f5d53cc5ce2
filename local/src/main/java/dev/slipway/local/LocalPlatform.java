package dev.slipway.local;

import dev.slipway.cli.config.CliConfig;
import dev.slipway.cli.config.ConfigFile;
import dev.slipway.deploy.DeployServiceApplication;
import dev.slipway.embedded.EmbeddedKafka;
import dev.slipway.embedded.EmbeddedRegistry;
import dev.slipway.embedded.EmbeddedS3;
import dev.slipway.embedded.LoopbackPorts;
import dev.slipway.routing.RoutingServiceApplication;
import dev.slipway.routing.local.LocalRouter;
import dev.slipway.staging.StagingServiceApplication;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.upload.UploadServiceApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The whole platform on one machine, in one JVM: a Kafka broker, an S3 server and an image
 * registry that keep their data in the data folder, the four services on the local runtime (podman
 * and the local router), and a CLI login for user {@value LocalSecrets#USER}. Stopping it stops the
 * apps; starting it again on the same folder brings back the apps and the whole push history.
 */
public final class LocalPlatform implements AutoCloseable {

    /**
     * staging, deploy and routing serve only their health, without security of their own; in one JVM
     * they would see upload-service's Spring Security and lock it behind a generated password.
     */
    private static final String WITHOUT_SECURITY = "--spring.autoconfigure.exclude="
            + "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration";

    private final LocalOptions options;
    private final LocalSecrets secrets;
    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final EmbeddedRegistry registry;
    private final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private final ConfigFile cliConfig;

    private LocalPlatform(LocalOptions options) throws Exception {
        this.options = options;
        Path data = options.dataDir();
        Files.createDirectories(data);
        secrets = LocalSecrets.loadOrCreate(data.resolve("secrets.properties"));
        kafka = EmbeddedKafka.start(data.resolve("kafka"), options.kafkaPort());
        EmbeddedS3 startedS3 = null;
        EmbeddedRegistry startedRegistry = null;
        try {
            startedS3 = EmbeddedS3.onDisk(data.resolve("s3"), options.s3Port(), secrets.s3AccessKey(),
                    secrets.s3SecretKey());
            startedRegistry = EmbeddedRegistry.open(data.resolve("registry"), options.registryPort());
        } catch (RuntimeException failed) {
            if (startedS3 != null) {
                startedS3.close();
            }
            kafka.close();
            throw failed;
        }
        s3 = startedS3;
        registry = startedRegistry;
        List<String> common = List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--slipway.runtime=local", "--slipway.system-domain=localhost",
                "--spring.cloud.stream.kafka.binder.consumer-properties.auto.offset.reset=earliest",
                "--slipway.s3.endpoint=" + s3.endpoint(), "--slipway.s3.access-key=" + secrets.s3AccessKey(),
                "--slipway.s3.secret-key=" + secrets.s3SecretKey(), "--slipway.secrets.key=" + secrets.secretsKey(),
                "--spring.main.banner-mode=off", "--logging.level.root=WARN");
        try {
            // made once per data folder, offline, from Debian's busybox and this JDK (see BaseImages)
            if (!hasImage(BaseImages.BUSYBOX)) {
                BaseImages.pushBusybox(registry.host(), null, null);
            }
            if (!hasImage(BaseImages.JVM)) {
                BaseImages.pushJvm(registry.host(), null, null);
            }
            services.add(run(UploadServiceApplication.application(), common, "--server.port=" + options.apiPort(),
                    "--slipway.auth.token-key=" + secrets.tokenKey(), "--slipway.registry=" + registry.host(),
                    "--slipway.auth.users[0].username=" + LocalSecrets.USER,
                    "--slipway.auth.users[0].password-hash=" + new BCryptPasswordEncoder().encode(secrets.password()),
                    "--slipway.auth.users[0].roles[0]=admin"));
            services.add(run(StagingServiceApplication.application(), common, WITHOUT_SECURITY,
                    "--server.port=" + port(0),
                    "--slipway.staging.build.registry=" + registry.host(),
                    "--slipway.staging.work-dir=" + data.resolve("staging")));
            services.add(run(DeployServiceApplication.application(), common, WITHOUT_SECURITY,
                    "--server.port=" + port(1), "--slipway.local.installation=" + secrets.installation()));
            services.add(run(RoutingServiceApplication.application(), common, WITHOUT_SECURITY,
                    "--server.port=" + port(2),
                    "--slipway.local.router.port=" + options.routerPort()));
        } catch (Exception failed) {
            close();
            throw failed;
        }
        cliConfig = new ConfigFile(data.resolve("cli.json"));
        cliConfig.save(new CliConfig(apiUrl(), LocalSecrets.USER, secrets.password(), "workspace"));
    }

    /** Starts everything; ports of 0 in {@code options} are picked once, so a restart can reuse them. */
    public static LocalPlatform start(LocalOptions options) throws Exception {
        return new LocalPlatform(resolve(options));
    }

    /** {@code options} with every 0 port replaced by a free one. */
    public static LocalOptions resolve(LocalOptions options) {
        return new LocalOptions(options.dataDir(), orFree(options.apiPort()), orFree(options.routerPort()),
                orFree(options.kafkaPort()), orFree(options.s3Port()), orFree(options.registryPort()),
                options.servicePort());
    }

    public LocalOptions options() {
        return options;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + services.get(0).getEnvironment().getProperty("local.server.port");
    }

    public int routerPort() {
        return services.get(3).getBean(LocalRouter.class).port();
    }

    /** The CLI settings of user {@value LocalSecrets#USER} on this platform ({@code SLIPWAY_CONFIG}). */
    public ConfigFile cliConfig() {
        return cliConfig;
    }

    public String registryHost() {
        return registry.host();
    }

    /** The registry, stopped and started again by tests that need it to fail. */
    public EmbeddedRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
        registry.close();
        s3.close();
        kafka.close();
    }

    private int port(int offset) {
        return options.servicePort() == 0 ? 0 : options.servicePort() + offset;
    }

    private boolean hasImage(String image) {
        try {
            HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    registry.url() + "/v2/" + image.replace(":", "/manifests/"))).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).header("Accept",
                    "application/vnd.docker.distribution.manifest.v2+json").build(),
                    HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int orFree(int port) {
        return port == 0 ? LoopbackPorts.free() : port;
    }

    private static ConfigurableApplicationContext run(SpringApplicationBuilder application, List<String> common,
                                                      String... own) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(own));
        return application.run(args.toArray(String[]::new));
    }
}
