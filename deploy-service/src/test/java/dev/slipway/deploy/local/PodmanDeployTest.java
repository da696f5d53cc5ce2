package dev.slipway.deploy.local;

import static dev.slipway.deploy.local.InstanceHttp.answers;
import static dev.slipway.deploy.local.InstanceHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployChange;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.images.TestImages;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.podman.PodmanCli;
import dev.slipway.testsupport.registry.RegistryServer;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * deploy-service in local mode: real podman (with runc) runs images from a real registry; the
 * assertions are what the app's users and the router would see on the instances' ports.
 */
@SpringBootTest(properties = {"spring.config.name=deploy-service", "server.port=0",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "slipway.runtime=local",
        "slipway.secrets.key=podman-test-secrets-key-0123456789abc", "slipway.local.ports=26000-26999",
        "slipway.local.drain=500ms", "slipway.local.ready-timeout=20s", "slipway.local.stop-apps-on-exit=false",
        "slipway.local.installation=deploy-test", "slipway.local.memory=128MB", "slipway.local.pids=64"})
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodmanDeployTest {

    /**
     * This context's own broker: the system property names the broker of whichever context started
     * last, which is another class's once contexts are cached and reused.
     */
    @org.springframework.beans.factory.annotation.Autowired
    EmbeddedKafkaBroker embeddedKafka;

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final URI STAGING = URI.create("/slipway/staging-service");
    private static final Podman PODMAN = new Podman("podman", "runc", "deploy-test",
            ContainerInit.resolve(ContainerInit.AUTO), Duration.ofSeconds(2));

    private RegistryServer registry;
    private EventLog log;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(PodmanCli.works(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        registry = RegistryServer.open(Files.createTempDirectory("slipway-registry"));
        log = new EventLog(embeddedKafka.getBrokersAsString());
    }

    @AfterAll
    void stop() throws Exception {
        if (log != null) {
            log.close();
        }
        if (registry != null) {
            for (LocalContainer container : PODMAN.list(null)) {
                PODMAN.remove(container.name());
            }
            for (String namespace : List.of("podman-test", "podman-other", "podman-lonely")) {
                new ProcessBuilder("podman", "network", "rm", "-f", "slipway_deploy-test_" + namespace).start()
                        .waitFor();
            }
            registry.close();
        }
    }

    @Test
    void anImageRunsAsInstancesOnTheirOwnPortsAndARedeployReplacesThemAfterTheNewOnesAnswer() throws Exception {
        AppRef app = new AppRef("podman-test", "site");
        String v1 = TestImages.page(registry.host(), "podman-test-site", "v1", "version one");
        String v2 = TestImages.page(registry.host(), "podman-test-site", "v2", "version two");

        Event<DeployRequested> first = deploy(app, v1, 2);
        AppDeployed one = deployed(first);
        assertThat(one.releaseRevision()).isEqualTo(1);
        assertThat(one.readyInstances()).isEqualTo(2);
        assertThat(one.endpoints()).hasSize(2).doesNotHaveDuplicates();
        for (String endpoint : one.endpoints()) {
            assertThat(get(endpoint)).isEqualTo("version one");
        }

        log.publish(first);  // redelivered: nothing new starts
        assertThat(deployedAgain(first).endpoints()).isEqualTo(one.endpoints());

        AppDeployed two = deployed(deploy(app, v2, 1));
        assertThat(two.releaseRevision()).isEqualTo(2);
        assertThat(get(two.endpoints().get(0))).isEqualTo("version two");
        // the old instances answered until the new one did, and go after the drain
        await().atMost(TIMEOUT).until(() -> one.endpoints().stream().noneMatch(InstanceHttp::answers));

        // rollback runs revision 1's image again, as revision 3
        Event<DeployRequested> rollback = log.publish(Event.start(URI.create("/slipway/upload-service"),
                new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.ROLLBACK, null, null, null,
                        new AppSettings(1, true, List.of(), null))));
        AppDeployed three = deployed(rollback);
        assertThat(three.releaseRevision()).isEqualTo(3);
        assertThat(three.image()).isEqualTo(v1);
        assertThat(get(three.endpoints().get(0))).isEqualTo("version one");
        log.publish(rollback);  // redelivered: it must not roll back once more
        AppDeployed again = deployedAgain(rollback);
        assertThat(again.releaseRevision()).isEqualTo(3);
        assertThat(again.endpoints()).isEqualTo(three.endpoints());

        log.publish(Event.start(URI.create("/slipway/upload-service"), new AppDeleted(UUID.randomUUID().toString(),
                app, "alice")));
        await().atMost(TIMEOUT).until(() -> PODMAN.list(app).isEmpty());
        assertThat(answers(three.endpoints().get(0))).isFalse();
    }

    @Test
    void aRestartStartsFreshInstancesOfTheSameImageBeforeTheOldOnesGoAndAScaleRunsTheNewCount() throws Exception {
        AppRef app = new AppRef("podman-test", "restarted");
        String v1 = TestImages.page(registry.host(), "podman-test-restarted", "v1", "still version one");
        AppDeployed one = deployed(deploy(app, v1, 1));
        String before = PODMAN.list(app).get(0).name();

        Event<DeployRequested> restart = log.publish(Event.start(URI.create("/slipway/upload-service"),
                new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.DEPLOY, null, v1, null,
                        new AppSettings(1, true, List.of(), null), DeployChange.RESTART)));
        AppDeployed two = deployed(restart);
        assertThat(two.releaseRevision()).isEqualTo(2);
        assertThat(two.image()).isEqualTo(v1);
        assertThat(two.endpoints()).singleElement().isNotEqualTo(one.endpoints().get(0));
        assertThat(get(two.endpoints().get(0))).isEqualTo("still version one");
        await().atMost(TIMEOUT).until(() -> !answers(one.endpoints().get(0)));
        assertThat(PODMAN.list(app)).filteredOn(LocalContainer::running).extracting(LocalContainer::name)
                .singleElement().isNotEqualTo(before);

        AppDeployed three = deployed(log.publish(Event.start(URI.create("/slipway/upload-service"),
                new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.DEPLOY, null, v1, null,
                        new AppSettings(2, true, List.of(), null), DeployChange.SCALE))));
        assertThat(three.releaseRevision()).isEqualTo(3);
        assertThat(three.endpoints()).hasSize(2);
        for (String endpoint : three.endpoints()) {
            assertThat(get(endpoint)).isEqualTo("still version one");
        }
    }

    @Test
    void anAppThatExitsFailsTheRolloutWithItsOwnWordsAndLeavesNothingBehind() throws Exception {
        AppRef app = new AppRef("podman-test", "broken");
        String image = TestImages.crashing(registry.host(), "podman-test-broken", "v1");

        DeployFailed failed = failedDeploy(app, image);

        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.ROLLOUT_TIMEOUT);
        assertThat(failed.failure().message()).contains("exited with exit code 3 before answering", "cannot open database");
        assertThat(PODMAN.list(app)).isEmpty();
    }

    @Test
    void anImageThatCannotBePulledIsNamed() {
        AppRef app = new AppRef("podman-test", "missing");
        Event<DeployRequested> request = deploy(app, registry.host() + "/podman-test-missing:nope", 1);

        DeployFailed failed = (DeployFailed) log.awaitEvent(request.correlationId(), EventType.DEPLOY_FAILED, TIMEOUT)
                .data();

        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.IMAGE_PULL_FAILED);
        assertThat(failed.failure().message()).contains("podman-test-missing:nope");
    }

    @Test
    void anAppReachesItsOwnNamespaceButNoOtherNamespaceAndNoServerOnTheHostsLoopback() throws Exception {
        String neighbourImage = TestImages.page(registry.host(), "podman-test-neighbour", "v1", "neighbour");
        String strangerImage = TestImages.page(registry.host(), "podman-other-stranger", "v1", "stranger");
        String probeImage = TestImages.networkProbe(registry.host(), "podman-test-probe", "v1");
        AppDeployed neighbour = deployed(deploy(new AppRef("podman-test", "neighbour"), neighbourImage, 1));
        AppDeployed stranger = deployed(deploy(new AppRef("podman-other", "stranger"), strangerImage, 1));
        AppDeployed probe = deployed(deploy(new AppRef("podman-test", "probe"), probeImage, 1));
        String hostAddress = java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(address -> address instanceof java.net.Inet4Address && !address.isLoopbackAddress())
                .findFirst().orElseThrow().getHostAddress();

        // (the test's broker listens on every address; the platform's own servers are probed in local mode)
        // a server on every address of the host: reachable, so a closed port below is the wall, not a broken probe
        try (java.net.ServerSocket everywhere = new java.net.ServerSocket(0);
             java.net.ServerSocket loopbackOnly = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.Map<String, String> targets = new java.util.LinkedHashMap<>();
            targets.put("control-host-server", "gateway:" + everywhere.getLocalPort());
            targets.put("control-neighbour", address(neighbour) + ":" + port(neighbour));
            targets.put("loopback-server-via-gateway", "gateway:" + loopbackOnly.getLocalPort());
            targets.put("loopback-server-via-host-address", hostAddress + ":" + loopbackOnly.getLocalPort());
            targets.put("loopback-server-via-loopback", "127.0.0.1:" + loopbackOnly.getLocalPort());
            targets.put("registry-via-gateway", "gateway:" + registry.host().replaceAll(".*:", ""));
            targets.put("other-namespace", address(stranger) + ":" + port(stranger));
            targets.put("other-namespace-published-via-gateway", "gateway:" + port(stranger));
            targets.put("other-namespace-published-via-host-address", hostAddress + ":" + port(stranger));

            java.util.Map<String, String> reached = dev.slipway.testsupport.images.NetworkProbe.states(
                    get(probe.endpoints().get(0), "/cgi-bin/probe?"
                            + dev.slipway.testsupport.images.NetworkProbe.query(targets)));

            assertThat(reached.keySet()).containsExactlyElementsOf(targets.keySet());
            assertThat(reached).containsEntry("control-host-server", "open").containsEntry("control-neighbour", "open");
            reached.entrySet().stream().filter(entry -> !entry.getKey().startsWith("control-")).forEach(entry ->
                    assertThat(entry.getValue()).as(entry.getKey()).isEqualTo("closed"));
        }
        // published on the host's loopback only: the router reaches the instances there, others do not
        assertThat(get(stranger.endpoints().get(0))).isEqualTo("stranger");
        assertThat(answers(hostAddress + ":" + port(stranger))).isFalse();
    }

    @Test
    void anAppOverItsMemoryLimitIsKilledAndTheDeployFailureSaysSo() throws Exception {
        AppRef app = new AppRef("podman-test", "hog");
        String image = TestImages.memoryHog(registry.host(), "podman-test-hog", "v1");

        DeployFailed failed = failedDeploy(app, image);

        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.ROLLOUT_TIMEOUT);
        assertThat(failed.failure().message()).contains("exit code 137", "memory limit", "128 MB",
                "loading everything into memory");
        assertThat(PODMAN.list(app)).isEmpty();
    }

    @Test
    void eachInstanceRunsWithinTheConfiguredMemoryAndProcessLimits() throws Exception {
        AppRef app = new AppRef("podman-test", "limited");
        String image = TestImages.page(registry.host(), "podman-test-limited", "v1", "limited");
        deployed(deploy(app, image, 1));

        String name = PODMAN.list(app).get(0).name();
        assertThat(inspect(name, "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.PidsLimit}}"))
                .isEqualTo((128L << 20) + " " + (128L << 20) + " 64");
    }

    @Test
    void anAppsOwnMemoryReplacesTheDefaultAndOneAboveTheCapStartsNothing() throws Exception {
        AppRef app = new AppRef("podman-test", "sized");
        String image = TestImages.page(registry.host(), "podman-test-sized", "v1", "sized");
        deployed(log.publish(Event.start(STAGING, new DeployRequested(UUID.randomUUID().toString(), app,
                DeployAction.DEPLOY, null, image, null, new AppSettings(1, true, List.of(), null, 96)))));
        String name = PODMAN.list(app).get(0).name();
        assertThat(inspect(name, "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}")).isEqualTo((96L << 20) + " 64");

        AppRef greedy = new AppRef("podman-test", "greedy");
        Event<DeployRequested> request = log.publish(Event.start(STAGING, new DeployRequested(
                UUID.randomUUID().toString(), greedy, DeployAction.DEPLOY, null, image, null,
                new AppSettings(1, true, List.of(), null, 2049))));
        DeployFailed failed = (DeployFailed) log.awaitEvent(request.correlationId(), EventType.DEPLOY_FAILED, TIMEOUT)
                .data();

        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.MEMORY_OVER_LIMIT);
        assertThat(failed.failure().message()).contains("2049 MB", "cap of 2048 MB", "--memory");
        assertThat(failed.failure().retryable()).isFalse();
        assertThat(PODMAN.list(greedy)).isEmpty();
    }

    @Test
    void aNamespacesNetworkGoesWithItsLastAppAndStaysWhileOneRemains() throws Exception {
        String image = TestImages.page(registry.host(), "podman-lonely-page", "v1", "page");
        AppRef first = new AppRef("podman-lonely", "first");
        AppRef second = new AppRef("podman-lonely", "second");
        deployed(deploy(first, image, 1));
        deployed(deploy(second, image, 1));

        log.publish(Event.start(URI.create("/slipway/upload-service"), new AppDeleted(UUID.randomUUID().toString(),
                first, "alice")));
        await().atMost(TIMEOUT).until(() -> PODMAN.list(first).isEmpty());
        assertThat(networkExists("slipway_deploy-test_podman-lonely")).isTrue();
        assertThat(imageExists(image)).as("still used by the second app").isTrue();

        log.publish(Event.start(URI.create("/slipway/upload-service"), new AppDeleted(UUID.randomUUID().toString(),
                second, "alice")));
        await().atMost(TIMEOUT).until(() -> !networkExists("slipway_deploy-test_podman-lonely"));
        assertThat(PODMAN.list(second)).isEmpty();
        assertThat(imageExists(image)).as("pulled for the deleted apps, gone with them").isFalse();
    }

    private static boolean imageExists(String image) throws Exception {
        return new ProcessBuilder("podman", "image", "exists", image).start().waitFor() == 0;
    }

    private static boolean networkExists(String name) throws Exception {
        return new ProcessBuilder("podman", "network", "exists", name).start().waitFor() == 0;
    }

    private static String address(AppDeployed deployed) throws Exception {
        String name = PODMAN.list(deployed.app()).stream().filter(LocalContainer::running).findFirst().orElseThrow()
                .name();
        return inspect(name, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}");
    }

    private static String port(AppDeployed deployed) {
        return deployed.endpoints().get(0).replaceAll(".*:", "");
    }

    private static String inspect(String container, String format) throws Exception {
        Process inspect = new ProcessBuilder("podman", "inspect", "--format", format, container)
                .redirectErrorStream(true).start();
        String output = new String(inspect.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        inspect.waitFor();
        return output.strip();
    }

    /** Deploys one instance of {@code image} and answers the deploy's failure, which the test expects. */
    private DeployFailed failedDeploy(AppRef app, String image) throws Exception {
        Event<DeployRequested> request = deploy(app, image, 1);
        return (DeployFailed) log.awaitEvent(request.correlationId(), EventType.DEPLOY_FAILED, TIMEOUT).data();
    }

    private Event<DeployRequested> deploy(AppRef app, String image, int instances) {
        return log.publish(Event.start(STAGING, new DeployRequested(UUID.randomUUID().toString(), app,
                DeployAction.DEPLOY, null, image, null, new AppSettings(instances, true, List.of(), null))));
    }

    private AppDeployed deployed(Event<?> request) {
        return (AppDeployed) log.awaitEvent(request.correlationId(), EventType.APP_DEPLOYED, TIMEOUT).data();
    }

    private AppDeployed deployedAgain(Event<?> request) {
        await().atMost(TIMEOUT).until(() -> log.eventsOf(request.correlationId()).stream()
                .filter(event -> event.is(EventType.APP_DEPLOYED)).count() == 2);
        return (AppDeployed) log.eventsOf(request.correlationId()).stream()
                .filter(event -> event.is(EventType.APP_DEPLOYED)).reduce((a, b) -> b).orElseThrow().data();
    }




}
