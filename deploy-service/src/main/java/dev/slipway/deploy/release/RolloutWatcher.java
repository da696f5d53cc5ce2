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

/** Waits, through a watch on the Kubernetes API, until an app's Deployment has its desired ready instances. */
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
            return new Rollout(desired == 0 ? 0 : done.getStatus().getReadyReplicas(), desired);
        } catch (KubernetesClientTimeoutException e) {
            Optional<String> pull = imagePullProblem(namespace, name);
            if (pull.isPresent()) {
                throw new DeployFailure(ReasonCodes.IMAGE_PULL_FAILED, pull.get()
                        + "; check that the image exists and the cluster can reach its registry", false, e);
            }
            Deployment current = client.apps().deployments().inNamespace(namespace).withName(name).get();
            int ready = current == null || current.getStatus() == null || current.getStatus().getReadyReplicas() == null
                    ? 0 : current.getStatus().getReadyReplicas();
            throw new DeployFailure(ReasonCodes.ROLLOUT_TIMEOUT, ready + " of " + (current == null ? "?" : desired(current))
                    + " instances ready after " + timeout + "; the app may not listen on $PORT or may crash at start: "
                    + "check its logs (kubectl logs -n " + namespace + " deploy/" + name + ")", true, e);
        }
    }

    static boolean rolledOut(Deployment deployment) {
        if (deployment == null) {
            return false;
        }
        int desired = desired(deployment);
        if (desired == 0) {
            return true;
        }
        var status = deployment.getStatus();
        return status != null && status.getReadyReplicas() != null && status.getReadyReplicas() >= desired
                && (status.getObservedGeneration() == null || deployment.getMetadata().getGeneration() == null
                || status.getObservedGeneration() >= deployment.getMetadata().getGeneration());
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
