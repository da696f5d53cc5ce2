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
import dev.slipway.events.DeployRequested;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.testsupport.images.TestImages;
import dev.slipway.testsupport.podman.PodmanCli;
import dev.slipway.testsupport.registry.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Old revisions whose retire was lost: the retire a deploy schedules for after the drain lives only in
 * the service's memory. A service stopped within the drain is a target whose {@code stop()} runs before
 * its retire (a service killed then leaves the same: its apps outlive it, as their own podman
 * processes); a fresh target is the service started again. Real podman; the targets are driven
 * directly, as the pipeline would drive them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodmanOldRevisionsTest {

    private static final String INSTALLATION = "old-revisions-test";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Longer than any test here: its retires never run before the target stops. */
    private static final Duration NEVER = Duration.ofMinutes(30);

    private final Podman podman = new Podman("podman", "runc", INSTALLATION, ContainerInit.resolve("auto"),
            Duration.ofSeconds(2));
    private RegistryServer registry;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(PodmanCli.works(), "podman is not installed here (scripts/setup-debian.sh installs it)");
        registry = RegistryServer.open(Files.createTempDirectory("slipway-registry"));
    }

    @AfterAll
    void stop() throws Exception {
        if (registry != null) {
            for (LocalContainer container : podman.list(null)) {
                podman.remove(container.name());
            }
            new ProcessBuilder("podman", "network", "rm", "-f", "slipway_" + INSTALLATION + "_old-revisions")
                    .start().waitFor();
            registry.close();
        }
    }

    @Test
    void instancesOfOlderRevisionsLeftRunningGoWhenTheServiceStartsAgainWhileTheNewestKeepsAnswering()
            throws Exception {
        AppRef app = new AppRef("old-revisions", "site");
        PodmanTarget before = target(NEVER, false);
        AppDeployed one = before.deploy(push(app, page(app, "v1", "version one"), 1));
        AppDeployed two = before.deploy(push(app, page(app, "v2", "version two"), 1));
        AppDeployed three = before.deploy(push(app, page(app, "v3", "version three"), 1));
        before.stop();
        // what a service stopped or killed within the drain leaves: every revision still answering
        assertThat(one.endpoints()).allMatch(InstanceHttp::answers);
        assertThat(two.endpoints()).allMatch(InstanceHttp::answers);
        String newest = runningOf(app, three.releaseRevision());
        String startedAt = inspect(newest, "{{.State.StartedAt}}");

        PodmanTarget after = target(Duration.ofMillis(300), true);
        after.start();

        await().atMost(TIMEOUT).failFast("the newest revision stopped answering",
                () -> !answers(three.endpoints().get(0)))
                .until(() -> !answers(one.endpoints().get(0)) && !answers(two.endpoints().get(0)));
        assertThat(get(three.endpoints().get(0))).isEqualTo("version three");
        assertThat(inspect(newest, "{{.State.StartedAt}}")).as("never stopped").isEqualTo(startedAt);
        // as after a deploy: the previous revision is kept stopped for a rollback, older ones are removed
        assertThat(podman.list(app)).extracting(LocalContainer::revision, LocalContainer::running)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(2, false),
                        org.assertj.core.groups.Tuple.tuple(3, true));
        AppDeployed rolledBack = after.rollBack(rollback(app));
        assertThat(get(rolledBack.endpoints().get(0))).isEqualTo("version two");
        after.stop();
    }

    @Test
    void aNewestRevisionThatDoesNotAnswerLeavesTheOneBeforeItServing() throws Exception {
        AppRef app = new AppRef("old-revisions", "halfway");
        PodmanTarget before = target(NEVER, false);
        AppDeployed one = before.deploy(push(app, page(app, "v1", "still serving"), 1));
        AppDeployed two = before.deploy(push(app, page(app, "v2", "never reached"), 1));
        before.stop();
        // what a kill in the middle of a deploy leaves: the newest revision's instance not answering
        podman.stop(List.of(runningOf(app, two.releaseRevision())));
        assertThat(answers(two.endpoints().get(0))).isFalse();

        PodmanTarget after = target(Duration.ofMillis(200), false);
        after.start();

        // many drains long: the revision before keeps serving, as the router still sends it the app's traffic
        await().during(Duration.ofSeconds(3)).atMost(TIMEOUT).until(() -> answers(one.endpoints().get(0)));
        assertThat(get(one.endpoints().get(0))).isEqualTo("still serving");
        after.stop();
    }

    @Test
    void anAppScaledToZeroWithinTheDrainStopsItsOldInstancesWhenTheServiceStartsAgain() throws Exception {
        AppRef app = new AppRef("old-revisions", "sleeper");
        String image = page(app, "v1", "awake");
        PodmanTarget before = target(NEVER, false);
        AppDeployed one = before.deploy(push(app, image, 1));
        AppDeployed zero = before.deploy(push(app, image, 0));
        before.stop();
        assertThat(answers(one.endpoints().get(0))).as("left running").isTrue();

        PodmanTarget after = target(Duration.ofMillis(300), true);
        after.start();

        // the marker is the newest revision: nothing of the app runs, and the instance is kept to roll back to
        await().atMost(TIMEOUT).until(() -> podman.list(app).stream().noneMatch(LocalContainer::running));
        assertThat(answers(one.endpoints().get(0))).isFalse();
        assertThat(podman.list(app)).extracting(LocalContainer::revision)
                .containsExactlyInAnyOrder(one.releaseRevision(), zero.releaseRevision());
        after.stop();
    }

    @Test
    void aRedeliveredDeployRetiresTheOldInstancesItsFirstDeliveryLeft() throws Exception {
        AppRef app = new AppRef("old-revisions", "again");
        PodmanTarget before = target(NEVER, false);
        AppDeployed one = before.deploy(push(app, page(app, "v1", "first"), 1));
        DeployRequested second = push(app, page(app, "v2", "second"), 1);
        AppDeployed two = before.deploy(second);
        before.stop();
        assertThat(answers(one.endpoints().get(0))).as("left running").isTrue();

        // not started: the redelivery alone retires what the first delivery left
        PodmanTarget after = target(Duration.ofMillis(300), false);
        AppDeployed again = after.deploy(second);

        assertThat(again.releaseRevision()).isEqualTo(two.releaseRevision());
        assertThat(again.endpoints()).isEqualTo(two.endpoints());
        await().atMost(TIMEOUT).failFast("the announced revision stopped answering",
                () -> !answers(two.endpoints().get(0)))
                .until(() -> !answers(one.endpoints().get(0)));
        assertThat(get(two.endpoints().get(0))).isEqualTo("second");
        after.stop();
    }

    private PodmanTarget target(Duration drain, boolean stopAppsOnExit) {
        LocalRuntimeProperties properties = new LocalRuntimeProperties("podman", "runc", "27500-27999",
                Duration.ofSeconds(20), drain, stopAppsOnExit, INSTALLATION, "auto", Duration.ofSeconds(2),
                DataSize.ofMegabytes(64), 64);
        return new PodmanTarget(new Podman("podman", "runc", INSTALLATION, ContainerInit.resolve("auto"),
                Duration.ofSeconds(2)), properties,
                new AppConfigurations(new SecretBox("old-revisions-secrets-key-0123456789ab")),
                DataSize.ofGigabytes(2));
    }

    private String page(AppRef app, String tag, String body) throws Exception {
        return TestImages.page(registry.host(), app.namespace() + "-" + app.name(), tag, body);
    }

    private String runningOf(AppRef app, int revision) throws IOException {
        return podman.list(app).stream().filter(container -> container.revision() == revision
                && container.running()).findFirst().orElseThrow().name();
    }

    private static DeployRequested push(AppRef app, String image, int instances) {
        return new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.DEPLOY, null, image, null,
                new AppSettings(instances, true, List.of(), null));
    }

    private static DeployRequested rollback(AppRef app) {
        return new DeployRequested(UUID.randomUUID().toString(), app, DeployAction.ROLLBACK, null, null, null,
                new AppSettings(1, true, List.of(), null));
    }

    private static String inspect(String container, String format) throws Exception {
        Process inspect = new ProcessBuilder("podman", "inspect", "--format", format, container)
                .redirectErrorStream(true).start();
        String output = new String(inspect.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        inspect.waitFor();
        return output.strip();
    }


}
