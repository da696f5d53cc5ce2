package dev.slipway.deploy.release;

import dev.slipway.deploy.pipeline.AppConfigurations;
import dev.slipway.deploy.pipeline.DeployFailure;
import dev.slipway.events.ReasonCodes;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Waits, through a watch on the Kubernetes API, until an app's Deployment has rolled out: its desired
 * instances all run the current pod template and are available, and no old one is left.
 */
public class RolloutWatcher {

    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");

    private final KubernetesClient client;

    public RolloutWatcher(KubernetesClient client) {
        this.client = client;
    }

    /** Ready and desired instances once the rollout is complete. */
    public record Rollout(int ready, int desired) {
    }

    public Rollout await(String namespace, String name, Duration timeout) throws DeployFailure {
        try {
            Deployment done = client.apps().deployments().inNamespace(namespace).withName(name)
                    .waitUntilCondition(RolloutWatcher::rolledOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
            int desired = desired(done);
            return new Rollout(desired == 0 ? 0 : count(done.getStatus().getReadyReplicas()), desired);
        } catch (KubernetesClientTimeoutException e) {
            Optional<String> pull = imagePullProblem(namespace, name);
            if (pull.isPresent()) {
                throw new DeployFailure(ReasonCodes.IMAGE_PULL_FAILED, pull.get()
                        + "; check that the image exists and the cluster can reach its registry", false, e);
            }
            Deployment current = client.apps().deployments().inNamespace(namespace).withName(name).get();
            throw new DeployFailure(ReasonCodes.ROLLOUT_TIMEOUT, progress(current) + " after " + timeout
                    + "; the app may not listen on $PORT or may crash at start: "
                    + "check its logs (kubectl logs -n " + namespace + " deploy/" + name + ")", true, e);
        }
    }

    /**
     * Done as {@code kubectl rollout status} says done: ready old pods do not count, or a restart (same
     * image, new template) would be done before a pod is replaced, however its new pods then crash.
     */
    static boolean rolledOut(Deployment deployment) {
        if (deployment == null) {
            return false;
        }
        int desired = desired(deployment);
        if (desired == 0) {
            return true;
        }
        var status = deployment.getStatus();
        if (status == null || !observed(deployment)) {
            return false;
        }
        int updated = count(status.getUpdatedReplicas());
        return updated >= desired
                && count(status.getReplicas()) <= updated  // no old pod left
                && count(status.getAvailableReplicas()) >= updated
                && count(status.getReadyReplicas()) >= desired;
    }

    /** Whether the status counts the Deployment's current spec, not an earlier one's. */
    private static boolean observed(Deployment deployment) {
        Long observed = deployment.getStatus().getObservedGeneration();
        Long generation = deployment.getMetadata().getGeneration();
        return observed == null || generation == null || observed >= generation;
    }

    /** How far the rollout has come, for a timeout's message. */
    private static String progress(Deployment current) {
        if (current == null) {
            return "0 of ? instances ready";
        }
        var status = current.getStatus();
        int updated = status == null ? 0 : count(status.getUpdatedReplicas());
        int old = status == null ? 0 : count(status.getReplicas()) - updated;
        if (old > 0) {
            return updated + " of " + desired(current) + " instances replaced, " + old + " old still running";
        }
        return (status == null ? 0 : count(status.getReadyReplicas())) + " of " + desired(current) + " instances ready";
    }

    private static int count(Integer replicas) {
        return replicas == null ? 0 : replicas;
    }

    private static int desired(Deployment deployment) {
        return deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
    }

    private Optional<String> imagePullProblem(String namespace, String app) {
        return client.pods().inNamespace(namespace).withLabel("slipway.dev/app", app).list().getItems().stream()
                .filter(pod -> pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null)
                .flatMap(pod -> pod.getStatus().getContainerStatuses().stream())
                .filter(status -> status.getState() != null && status.getState().getWaiting() != null
                        && PULL_FAILURES.contains(status.getState().getWaiting().getReason()))
                .map(status -> "image " + status.getImage() + " cannot be pulled ("
                        + status.getState().getWaiting().getReason() + ")")
                .filter(Objects::nonNull)
                .findFirst();
    }
}
