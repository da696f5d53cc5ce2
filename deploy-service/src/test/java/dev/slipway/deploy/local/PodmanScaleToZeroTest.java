package dev.slipway.deploy.local;

import static dev.slipway.deploy.local.InstanceHttp.answers;
import static dev.slipway.deploy.local.InstanceHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.deploy.pipeline.AppConfigurations;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployChange;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.testsupport.images.TestImages;
import dev.slipway.testsupport.podman.PodmanCli;
import dev.slipway.testsupport.registry.RegistryServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.util.unit.DataSize;

/**
 * An app scaled to zero on real podman: what its users (no answer), the revision history (numbers keep
 * rising) and a restarted platform (the app stays at zero) see. The target is driven directly, as the
 * pipeline would drive it; a fresh target is the service after a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodmanScaleToZeroTest {

    private static final String INSTALLATION = "zero-test";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final LocalRuntimeProperties PROPERTIES = new LocalRuntimeProperties("podman", "runc",
            "27000-27499", Duration.ofSeconds(20), Duration.ofMillis(300), true, INSTALLATION, "auto",
            Duration.ofSeconds(2), DataSize.ofMegabytes(64), 64);

    private final Podman podman = new Podman("podman", "runc", INSTALLATION, ContainerInit.resolve("auto"),
            Duration.ofSeconds(2));
    private RegistryServer registry;
    private PodmanTarget target;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(PodmanCli.works(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        registry = RegistryServer.open(Files.createTempDirectory("slipway-registry"));
        target = newTarget();
    }

    @AfterAll
    void stop() throws Exception {
        if (registry != null) {
            for (LocalContainer container : podman.list(null)) {
                podman.remove(container.name());
            }
            new ProcessBuilder("podman", "network", "rm", "-f", "slipway_" + INSTALLATION + "_zero-test").start()
                    .waitFor();
            registry.close();
        }
    }

    @Test
    void scalingToZeroAndBackGivesRisingRevisionsAndNothingRunsAtZero() throws Exception {
        AppRef app = new AppRef("zero-test", "site");
        String image = TestImages.page(registry.host(), "zero-test-site", "v1", "awake");
        AppDeployed one = target.deploy(scale(app, image, 1));
        assertThat(get(one.endpoints().get(0))).isEqualTo("awake");

        DeployRequested toZero = scale(app, image, 0);
        AppDeployed zero = target.deploy(toZero);
        assertThat(zero.releaseRevision()).isEqualTo(one.releaseRevision() + 1);
        assertThat(zero.endpoints()).isEmpty();
        assertThat(zero.desiredInstances()).isZero();
        // the old instance goes after the drain, as for any revision
        await().atMost(TIMEOUT).until(() -> !answers(one.endpoints().get(0)));
        assertThat(podman.list(app)).noneMatch(LocalContainer::running);
        // redelivered: the same revision, nothing new recorded
        assertThat(target.deploy(toZero).releaseRevision()).isEqualTo(zero.releaseRevision());

        AppDeployed back = target.deploy(scale(app, image, 1));
        assertThat(back.releaseRevision()).isEqualTo(zero.releaseRevision() + 1);
        assertThat(get(back.endpoints().get(0))).isEqualTo("awake");
    }

    @Test
    void anAppAtZeroStaysAtZeroWhenThePlatformStartsAgainAndARollbackBringsItsInstancesBack() throws Exception {
        AppRef app = new AppRef("zero-test", "sleeper");
        String image = TestImages.page(registry.host(), "zero-test-sleeper", "v1", "back again");
        AppRef awake = new AppRef("zero-test", "awake");
        AppDeployed other = target.deploy(scale(awake, image, 1));
        AppDeployed one = target.deploy(scale(app, image, 1));
        AppDeployed zero = target.deploy(scale(app, image, 0));
        await().atMost(TIMEOUT).until(() -> podman.list(app).stream().noneMatch(LocalContainer::running));

        // the platform stopped (every app with it) and starts again
        target.stop();
        assertThat(answers(other.endpoints().get(0))).isFalse();
        target = newTarget();
        target.start();

        await().atMost(TIMEOUT).until(() -> answers(other.endpoints().get(0)));
        assertThat(podman.list(app)).noneMatch(LocalContainer::running);
        assertThat(answers(one.endpoints().get(0))).isFalse();

        AppDeployed rolledBack = target.rollBack(new DeployRequested(UUID.randomUUID().toString(), app,
                DeployAction.ROLLBACK, null, null, null, new AppSettings(0, true, List.of(), null)));
        assertThat(rolledBack.releaseRevision()).isEqualTo(zero.releaseRevision() + 1);
        assertThat(rolledBack.desiredInstances()).isEqualTo(1);
        assertThat(get(rolledBack.endpoints().get(0))).isEqualTo("back again");
    }

    private static PodmanTarget newTarget() {
        return new PodmanTarget(new Podman("podman", "runc", INSTALLATION, ContainerInit.resolve("auto"),
                Duration.ofSeconds(2)), PROPERTIES,
                new AppConfigurations(new SecretBox("zero-test-secrets-key-0123456789abcdef")), DataSize.ofGigabytes(2));
    }

    private static DeployRequested scale(AppRef app, String image, int instances) {
        return new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.DEPLOY, null, image, null,
                new AppSettings(instances, true, List.of(), null), DeployChange.SCALE);
    }


}
