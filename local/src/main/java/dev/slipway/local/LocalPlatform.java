package dev.slipway.local;

import dev.slipway.cli.config.CliConfig;
import dev.slipway.cli.config.ConfigFile;
import dev.slipway.deploy.DeployServiceApplication;
import dev.slipway.embedded.EmbeddedKafka;
import dev.slipway.embedded.LogCleaning;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(LocalPlatform.class);
    /** Left between the broker's step and the stop timeout, so close() returns before a watchdog fires. */
    private static final Duration STOP_MARGIN = Duration.ofMillis(500);
    /** How long a start waits for the API's stores to catch up before it goes on regardless. */
    private static final Duration API_READY_TIMEOUT = Duration.ofMinutes(2);

    private final LocalOptions options;
    private final LocalSecrets secrets;
    private final StopSteps stopSteps = new StopSteps();
    /** Guards the parts and {@link #closed}: a stop may come (Ctrl-C) while parts are still starting. */
    private final Object parts = new Object();
    private boolean closed;
    /** The services by name, in start order; what has started, should a later part fail. */
    private final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
    private EmbeddedKafka kafka;
    private EmbeddedS3 s3;
    private EmbeddedRegistry registry;
    private ConfigFile cliConfig;

    private LocalPlatform(LocalOptions options, Consumer<LocalPlatform> starting) throws Exception {
        this.options = options;
        Path data = options.dataDir();
        Files.createDirectories(data);
        secrets = LocalSecrets.loadOrCreate(data.resolve("secrets.properties"));
        starting.accept(this);
        try {
            startParts(data);
        } catch (Exception failed) {
            long started = System.nanoTime();
            close();
            throw new StartFailed(failed, Duration.ofNanos(System.nanoTime() - started));
        }
        cliConfig = new ConfigFile(data.resolve("cli.json"));
        cliConfig.save(new CliConfig(apiUrl(), LocalSecrets.USER, secrets.password(), "workspace"));
    }

    private void startParts(Path data) throws Exception {
        EmbeddedKafka startedKafka = EmbeddedKafka.start(data.resolve("kafka"), options.kafkaPort(), 0,
                LogCleaning.forRetention(options.eventsRetention()));
        keep(() -> kafka = startedKafka, startedKafka::close);
        EmbeddedS3 startedS3 = EmbeddedS3.onDisk(data.resolve("s3"), options.s3Port(), secrets.s3AccessKey(),
                secrets.s3SecretKey());
        keep(() -> s3 = startedS3, startedS3::close);
        EmbeddedRegistry startedRegistry = EmbeddedRegistry.open(data.resolve("registry"), options.registryPort());
        keep(() -> registry = startedRegistry, startedRegistry::close);
        List<String> common = List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--slipway.runtime=local", "--slipway.system-domain=localhost",
                "--spring.cloud.stream.kafka.binder.consumer-properties.auto.offset.reset=earliest",
                "--slipway.events.retention=" + options.eventsRetention().toMillis() + "ms",
                "--slipway.s3.endpoint=" + s3.endpoint(), "--slipway.s3.access-key=" + secrets.s3AccessKey(),
                "--slipway.s3.secret-key=" + secrets.s3SecretKey(), "--slipway.secrets.key=" + secrets.secretsKey(),
                // the services' HTTP ports on loopback only, like the broker, S3 and the registry: apps run in
                // networks of their own and must not reach the platform (only the router is for others)
                "--server.address=" + LocalOptions.LOOPBACK,
                "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                // the log is never stopped: Boot's hook for it ran at SIGTERM and lost the broker's stop
                "--logging.register-shutdown-hook=false",
                // each service's share of the stop: its shutdown phases and consumers, inside the services' step
                "--spring.lifecycle.timeout-per-shutdown-phase=" + servicePhase().toMillis() + "ms",
                "--slipway.events.consumer-stop-timeout=" + servicePhase().toMillis() + "ms");
        makeBaseImages();
        run("upload-service", UploadServiceApplication.application(), common, "--server.port=" + options.apiPort(),
                "--slipway.auth.token-key=" + secrets.tokenKey(), "--slipway.registry=" + registry.host(),
                // the stores of pushes beside the broker's data: a restart finds them and reads only what is new
                "--slipway.upload.streams.state-dir=" + data.resolve("upload-streams"),
                "--slipway.auth.users[0].username=" + LocalSecrets.USER,
                "--slipway.auth.users[0].password-hash=" + new BCryptPasswordEncoder().encode(secrets.password()),
                "--slipway.auth.users[0].roles[0]=admin",
                // the apps' containers it shows instances and logs of: this installation's
                "--slipway.local.installation=" + secrets.installation());
        run("staging-service", StagingServiceApplication.application(), common, WITHOUT_SECURITY,
                "--server.port=" + port(0),
                "--slipway.staging.build.registry=" + registry.host(),
                "--slipway.staging.work-dir=" + data.resolve("staging"),
                // builds of this installation on a bridge of their own
                "--slipway.staging.build-container.network=" + buildNetwork(secrets.installation()));
        run("deploy-service", DeployServiceApplication.application(), common, WITHOUT_SECURITY,
                "--server.port=" + port(1), "--slipway.local.installation=" + secrets.installation());
        run("routing-service", RoutingServiceApplication.application(), common, WITHOUT_SECURITY,
                "--server.port=" + port(2),
                "--slipway.local.router.port=" + options.routerPort(),
                "--slipway.local.router.address=" + options.routerAddress());
        awaitApiReady(API_READY_TIMEOUT);
    }

    /**
     * The runtime bases, made once per data folder, offline, from Debian's busybox, this JDK, node and
     * python3 (see BaseImages), each said with its time as it is made. A missing interpreter only leaves
     * its language unbuildable (its builds fail naming the base), it does not stop the platform.
     */
    private void makeBaseImages() throws Exception {
        for (BaseImages.Base base : BaseImages.all()) {
            if (hasImage(base.image())) {
                continue;
            }
            long started = System.nanoTime();
            try {
                base.maker().push(registry.host(), null, null);
                System.out.printf("Made base image %s in %.1f s (once per data folder)%n", base.image(),
                        (System.nanoTime() - started) / 1e9);
            } catch (IllegalStateException missing) {
                if (base.required()) {
                    throw missing;
                }
                System.out.println("Skipped base image " + base.image() + ": " + missing.getMessage());
                log.warn("base image {} not made: {}", base.image(), missing.getMessage());
            }
        }
    }

    /**
     * The bridge this installation's builds run on, apart from the apps' networks (those are named
     * {@code slipway_<installation>_<namespace>}, so none can be named like this one).
     */
    public static String buildNetwork(String installation) {
        return "slipway-builds_" + installation;
    }

    /**
     * Waits until the API's readiness says its stores of pushes have caught up: after a restart they
     * rejoin their group and restore, and a user's first request must not meet a 503. A start that takes
     * longer goes on (the API says 503 until then) with a warning.
     */
    private void awaitApiReady(Duration timeout) {
        URI readiness = URI.create("http://" + LocalOptions.LOOPBACK + ":" + options.apiPort()
                + "/actuator/health/readiness");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (client.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        log.warn("the API was not ready within {}; it answers 503 until its stores have caught up", timeout);
    }

    /**
     * Keeps a part that has just started, unless close() began meanwhile: then the part is stopped
     * again here and the start ends, as close() has already stopped the parts it knew of.
     */
    private void keep(Runnable register, Runnable stop) {
        synchronized (parts) {
            if (!closed) {
                register.run();
                return;
            }
        }
        stop.run();
        throw new IllegalStateException("stopped while starting");
    }

    /** Starts everything; ports of 0 in {@code options} are picked once, so a restart can reuse them. */
    public static LocalPlatform start(LocalOptions options) throws Exception {
        return start(options, platform -> { });
    }

    /**
     * As {@link #start(LocalOptions)}, handing the platform to {@code starting} before its parts
     * start, so that a stop during the start (Ctrl-C) can {@link #close()} what has started so far.
     */
    public static LocalPlatform start(LocalOptions options, Consumer<LocalPlatform> starting) throws Exception {
        return new LocalPlatform(resolve(options), starting);
    }

    /** {@code options} with every 0 port replaced by a free one. */
    public static LocalOptions resolve(LocalOptions options) {
        return new LocalOptions(options.dataDir(), orFree(options.apiPort()), orFree(options.routerPort()),
                options.routerAddress(), orFree(options.kafkaPort()), orFree(options.s3Port()), orFree(options.registryPort()),
                options.servicePort(), options.stopTimeout(), options.eventsRetention());
    }

    public LocalOptions options() {
        return options;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + services.get("upload-service").getEnvironment().getProperty("local.server.port");
    }

    public int routerPort() {
        return services.get("routing-service").getBean(LocalRouter.class).port();
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

    /**
     * Stops everything within {@link LocalOptions#stopTimeout()}, in three steps: the four services at
     * once (their apps stop with deploy-service), while the broker still answers their last commits
     * and goodbyes; then the registry and S3; then the broker. Each step has its share of the time and
     * a part that hangs is left behind (see {@link #stillStopping()}), so this returns in time.
     */
    @Override
    public void close() {
        Map<String, Runnable> serviceStops = new LinkedHashMap<>();
        Map<String, Runnable> servers = new LinkedHashMap<>();
        Map<String, Runnable> broker = new LinkedHashMap<>();
        synchronized (parts) {
            if (closed) {
                return;
            }
            closed = true;
            services.forEach((name, context) -> serviceStops.put(name, context::close));
            if (registry != null) {
                servers.put("docker-registry", registry::close);
            }
            if (s3 != null) {
                servers.put("s3proxy", s3::close);
            }
            if (kafka != null) {
                broker.put("kafka broker", kafka::close);
            }
        }
        Instant started = Instant.now();
        Duration timeout = options.stopTimeout();
        log.info("stopping, within {} ms", timeout.toMillis());
        stopSteps.stop(serviceStops, started.plus(timeout.dividedBy(2)));
        stopSteps.stop(servers, started.plus(timeout.multipliedBy(5).dividedBy(8)));
        stopSteps.stop(broker, started.plus(timeout).minus(STOP_MARGIN));
        log.info("stopped in {} ms{}", Duration.between(started, Instant.now()).toMillis(),
                stillStopping().isEmpty() ? "" : "; still stopping: " + stillStopping().keySet());
    }

    /** The parts whose stop has not finished (empty once close() stopped everything), with their threads. */
    public Map<String, Thread> stillStopping() {
        return stopSteps.stillStopping();
    }

    /**
     * A service's shutdown phase: a quarter of the stop, so the two phases that may wait (open
     * requests, consumers) fit in the services' half.
     */
    private Duration servicePhase() {
        return options.stopTimeout().dividedBy(4);
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

    /**
     * Starts a service without Spring Boot's shutdown hook: close() is the one place that stops the
     * services, before the broker. With Boot's hook too, both ran at once on SIGTERM, and the broker
     * stopped while a service was still closing its Kafka clients.
     */
    private void run(String name, SpringApplicationBuilder application, List<String> common, String... own) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(own));
        ConfigurableApplicationContext service = application.registerShutdownHook(false)
                .run(args.toArray(String[]::new));
        keep(() -> services.put(name, service), service::close);
    }
}
