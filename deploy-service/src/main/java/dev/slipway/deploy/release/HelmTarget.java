package dev.slipway.deploy.release;

import com.marcnuri.helm.Release;
import dev.slipway.deploy.chart.ReleaseValues;
import dev.slipway.deploy.pipeline.AppConfigurations;
import dev.slipway.deploy.pipeline.DeployFailure;
import dev.slipway.deploy.pipeline.DeployTarget;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.DeployChange;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.ReasonCodes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Objects;

/**
 * Apps on Kubernetes: a Helm release of the application chart per app, then a wait for its rollout.
 * A Kubernetes API that does not answer is CLUSTER_UNAVAILABLE, retryable.
 */
public final class HelmTarget implements DeployTarget {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HelmTarget.class);
    private static final String BLOB_UID = "slipway.dev/blob-uid";

    private final HelmReleases releases;
    private final RolloutWatcher rollouts;
    private final KubernetesClient client;
    private final DeployProperties properties;
    private final ReleaseHistory history;
    private final AppConfigurations configurations;

    public HelmTarget(HelmReleases releases, RolloutWatcher rollouts, KubernetesClient client,
                      DeployProperties properties, AppConfigurations configurations, ReleaseHistory history) {
        this.releases = releases;
        this.rollouts = rollouts;
        this.client = client;
        this.properties = properties;
        this.history = history;
        this.configurations = configurations;
    }

    @Override
    public AppDeployed deploy(DeployRequested request) throws DeployFailure {
        try {
            return install(request);
        } catch (KubernetesClientException unreachable) {
            throw unavailable(unreachable);
        }
    }

    @Override
    public AppDeployed rollBack(DeployRequested request) throws DeployFailure {
        try {
            return reinstall(request);
        } catch (KubernetesClientException unreachable) {
            throw unavailable(unreachable);
        }
    }

    /**
     * A deleted app's release goes; one already gone is fine (a redelivery). A release of the app's name
     * that Slipway did not make stays: deleting the app in Slipway says nothing about someone else's chart.
     */
    @Override
    public void remove(AppRef app) throws DeployFailure {
        try {
            if (releases.findOwned(app.namespace(), app.name()).isPresent()) {
                releases.uninstall(app.namespace(), app.name());
            }
        } catch (DeployFailure failure) {
            if (!ReasonCodes.RELEASE_NOT_OWNED.equals(failure.reason())) {
                throw failure;
            }
            log.warn("{} deleted, its release left in place: {} {}", app, failure.reason(), failure.getMessage());
        }
    }

    private static DeployFailure unavailable(KubernetesClientException unreachable) {
        return new DeployFailure(ReasonCodes.CLUSTER_UNAVAILABLE, "the Kubernetes API did not answer ("
                + unreachable.getMessage() + "); replay the push once it does", true, unreachable);
    }

    private AppDeployed install(DeployRequested request) throws DeployFailure {
        String namespace = request.app().namespace();
        String name = request.app().name();
        Integer revision = alreadyRunning(request) ? releases.findOwned(namespace, name).map(HelmTarget::revision)
                .orElse(null) : null;
        if (revision == null) {
            ensureNamespace(namespace);
            Release release = releases.deploy(namespace, new ReleaseValues(name, request.image(), request.stageId(),
                    request.blobUid(), request.settings().instances(),
                    configurations.env(request.app(), request.settings().configurationRef()),
                    request.change() == DeployChange.RESTART ? request.blobUid() : lastRestart(namespace, name),
                    request.settings().configurationRef()));
            revision = revision(release);
        }
        RolloutWatcher.Rollout rollout = rollouts.await(namespace, name, properties.rolloutTimeout());
        return new AppDeployed(request.blobUid(), request.app(), request.stageId(), request.image(), revision,
                rollout.ready(), rollout.desired(), request.settings());
    }

    /**
     * Deploys the values of an earlier revision again (the previous one unless named): a new revision
     * that runs the earlier image, as {@code helm rollback} does.
     */
    private AppDeployed reinstall(DeployRequested request) throws DeployFailure {
        String namespace = request.app().namespace();
        String name = request.app().name();
        Release current = releases.findOwned(namespace, name).orElseThrow(() -> new DeployFailure(
                ReasonCodes.RELEASE_NOT_FOUND, "app " + request.app() + " has no release to roll back", false, null));
        Deployment running = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (running != null && request.blobUid().equals(blobUidOf(running))) {
            // this very rollback ran already (a redelivery): rolling back again would go one further
            RolloutWatcher.Rollout rollout = rollouts.await(namespace, name, properties.rolloutTimeout());
            return new AppDeployed(request.blobUid(), request.app(), blankToNull(labelOf(running,
                    "slipway.dev/stage-id")), running.getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getImage(), revision(current), rollout.ready(), rollout.desired(), request.settings());
        }
        int target = request.revision() != null ? request.revision() : revision(current) - 1;
        if (target < 1) {
            throw new DeployFailure(ReasonCodes.RELEASE_NOT_FOUND, "app " + request.app() + " has no earlier revision "
                    + "than " + revision(current), false, null);
        }
        Map<String, Object> values = new java.util.LinkedHashMap<>(history.values(namespace, name, target));
        values.put("blobUid", request.blobUid());  // marks the release as this rollback's
        Release release = releases.deploy(namespace, name, values);
        RolloutWatcher.Rollout rollout = rollouts.await(namespace, name, properties.rolloutTimeout());
        return new AppDeployed(request.blobUid(), request.app(), blankToNull(values.get("stageId")),
                String.valueOf(values.get("image")), revision(release), rollout.ready(), rollout.desired(),
                request.settings());
    }

    private static String blankToNull(Object value) {
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    /** Apps' namespaces are made here rather than by Helm, whose own creation always validates against OpenAPI. */
    private void ensureNamespace(String namespace) throws DeployFailure {
        try {
            if (client.namespaces().withName(namespace).get() == null) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                        .addToLabels("app.kubernetes.io/managed-by", "slipway").endMetadata().build()).create();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw new DeployFailure(ReasonCodes.CLUSTER_UNAVAILABLE, "cannot create namespace " + namespace + ": "
                        + e.getMessage(), true, e);
            }
        }
    }

    /** The app's Deployment already runs this stage's image: a redelivery or a repeated deploy. */
    private boolean alreadyRunning(DeployRequested request) {
        Deployment running = client.apps().deployments().inNamespace(request.app().namespace())
                .withName(request.app().name()).get();
        if (running == null) {
            return false;
        }
        String stageId = labelOf(running, "slipway.dev/stage-id");
        String image = running.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        Integer replicas = running.getSpec().getReplicas();
        // the blob uid keys the request: a new push (even of the same image with other env) has another
        return Objects.equals(blobUidOf(running), request.blobUid())
                && Objects.equals(stageId, request.stageId() == null ? "" : request.stageId())
                && Objects.equals(image, request.image())
                && Objects.equals(replicas, request.settings().instances());
    }

    /**
     * The restart the running pods carry out, kept by every later release: dropping the annotation would
     * change the pod template, and a scale would replace every pod as a restart does.
     */
    private String lastRestart(String namespace, String name) {
        Deployment running = client.apps().deployments().inNamespace(namespace).withName(name).get();
        var template = running == null ? null : running.getSpec().getTemplate().getMetadata();
        return template == null || template.getAnnotations() == null ? null
                : template.getAnnotations().get("slipway.dev/restarted-by");
    }

    private static String labelOf(Deployment deployment, String label) {
        return deployment.getMetadata().getLabels() == null ? null : deployment.getMetadata().getLabels().get(label);
    }

    /**
     * The push that last changed the release. Deployments made before the label moved to the Deployment
     * carry it on their pod template only, until their next release: a rollback such a version applied
     * and redelivers to this one is still known as done.
     */
    private static String blobUidOf(Deployment deployment) {
        String blobUid = labelOf(deployment, BLOB_UID);
        if (blobUid != null) {
            return blobUid;
        }
        var template = deployment.getSpec().getTemplate().getMetadata();
        return template == null || template.getLabels() == null ? null : template.getLabels().get(BLOB_UID);
    }

    private static int revision(Release release) {
        return Integer.parseInt(release.getRevision());
    }
}
