package dev.slipway.deploy.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.slipway.deploy.pipeline.DeployFailure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.testsupport.kubernetes.KubernetesMocks;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a rollout counts as done, against fabric8's CRUD mock API server (no API server runs here); the
 * test plays the Deployment controller, status by status, as it goes through a rolling restart.
 */
class RolloutWatcherTest {

    private static final String NAMESPACE = "workspace";
    /** Long enough for the watch to see a status that is there from the start. */
    private static final Duration SHORT = Duration.ofSeconds(1);

    private KubernetesMockServer server;
    private KubernetesClient client;
    private RolloutWatcher watcher;

    @BeforeEach
    void start() {
        server = KubernetesMocks.startCrudServer();
        client = server.createClient();
        watcher = new RolloutWatcher(client);
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void aRestartIsNotDoneWhileTheReadyInstancesAreTheOldOnesAndIsOnceEveryNewOneIsAvailable() throws Exception {
        createDeployment("web", 2);
        KubernetesMocks.markDeploymentReady(client, NAMESPACE, "web");
        long restarted = restart("web");

        // the controller has seen the restart and made one new pod, which crash-loops; both old pods still serve
        setStatus("web", restarted, 3, 1, 2, 2);
        assertThat(timeout("web").getMessage()).contains("1 of 2 instances replaced", "2 old still running");
        // both new pods made, one old one not yet gone
        setStatus("web", restarted, 3, 2, 2, 2);
        assertThat(timeout("web").getMessage()).contains("2 of 2 instances replaced", "1 old still running");
        // no old pod left, but one new one is not ready
        setStatus("web", restarted, 2, 2, 1, 1);
        assertThat(timeout("web").getMessage()).contains("1 of 2 instances ready");

        CompletableFuture<RolloutWatcher.Rollout> rollout = CompletableFuture.supplyAsync(() -> {
            try {
                return watcher.await(NAMESPACE, "web", Duration.ofSeconds(30));
            } catch (DeployFailure failure) {
                throw new IllegalStateException(failure);
            }
        });
        setStatus("web", restarted, 2, 2, 2, 2);
        assertThat(rollout.get(30, TimeUnit.SECONDS)).isEqualTo(new RolloutWatcher.Rollout(2, 2));
    }

    @Test
    void aStatusOfAnEarlierGenerationIsNotDoneHoweverReadyItLooks() throws Exception {
        createDeployment("api", 1);
        KubernetesMocks.markDeploymentReady(client, NAMESPACE, "api");
        long restarted = restart("api");

        // every count complete, but for the template before the restart
        setStatus("api", restarted - 1, 1, 1, 1, 1);
        assertThat(timeout("api").getMessage()).contains("instances");

        setStatus("api", restarted, 1, 1, 1, 1);
        assertThat(watcher.await(NAMESPACE, "api", SHORT)).isEqualTo(new RolloutWatcher.Rollout(1, 1));
    }

    @Test
    void aNewAppWhoseInstancesAreReadyIsDone() throws Exception {
        createDeployment("fresh", 3);

        KubernetesMocks.markDeploymentReady(client, NAMESPACE, "fresh");

        assertThat(watcher.await(NAMESPACE, "fresh", SHORT)).isEqualTo(new RolloutWatcher.Rollout(3, 3));
    }

    private DeployFailure timeout(String name) {
        DeployFailure failure = catchThrowableOfType(DeployFailure.class,
                () -> watcher.await(NAMESPACE, name, SHORT));
        assertThat(failure).as("the rollout of %s is not done", name).isNotNull();
        assertThat(failure.reason()).isEqualTo(ReasonCodes.ROLLOUT_TIMEOUT);
        return failure;
    }

    private void createDeployment(String name, int replicas) {
        client.apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("slipway.dev/app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("slipway.dev/app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(name + ":1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    /** A restart as the chart makes one: a new pod-template annotation. Answers the Deployment's new generation. */
    private long restart(String name) {
        Deployment restarted = client.apps().deployments().inNamespace(NAMESPACE).withName(name).edit(deployment ->
                new DeploymentBuilder(deployment).editSpec().editTemplate().editMetadata()
                        .addToAnnotations("slipway.dev/restarted-by", "push-2").endMetadata().endTemplate().endSpec()
                        .build());
        assertThat(restarted.getMetadata().getGeneration()).as("the mock counts generations").isNotNull();
        return restarted.getMetadata().getGeneration();
    }

    private void setStatus(String name, long observedGeneration, int replicas, int updated, int ready,
                           int available) {
        Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
        deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(observedGeneration)
                .withReplicas(replicas).withUpdatedReplicas(updated).withReadyReplicas(ready)
                .withAvailableReplicas(available).build());
        client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).updateStatus();
    }
}
