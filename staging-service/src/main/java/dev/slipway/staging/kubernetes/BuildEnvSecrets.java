package dev.slipway.staging.kubernetes;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Map;

/**
 * The Secret a Kaniko Job reads its build env values from: made once the Job is (it is owned by the Job, so
 * the cluster removes it with the Job whatever happens to staging), removed by staging as soon as the Job
 * is over. Values never go into the Job's spec.
 */
final class BuildEnvSecrets {

    private final KubernetesClient client;
    private final String namespace;

    BuildEnvSecrets(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Makes the Secret of {@code job}; one already there (a redelivered stage) is kept. */
    void create(Job job, Map<String, String> values) throws StageFailure {
        String name = StagingJobs.buildEnvSecretName(job.getMetadata().getName());
        SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(job.getMetadata().getLabels()).endMetadata()
                .withType("Opaque").withImmutable(true).withStringData(values);
        if (job.getMetadata().getUid() != null) {
            secret.editMetadata().addNewOwnerReference().withApiVersion("batch/v1").withKind("Job")
                    .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid()).endOwnerReference()
                    .endMetadata();
        }
        Secret built = secret.build();
        try {
            client.secrets().inNamespace(namespace).resource(built).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw new StageFailure(ReasonCodes.CLUSTER_UNAVAILABLE, "cannot create the build env Secret " + name
                        + ": " + e.getMessage() + "; replay the push once the cluster answers", true, e);
            }
        }
    }

    void delete(Job job) {
        try {
            client.secrets().inNamespace(namespace).withName(StagingJobs.buildEnvSecretName(job.getMetadata()
                    .getName())).delete();
        } catch (KubernetesClientException leftToTheOwner) {
            // the Job owns it: the cluster removes it with the Job (ttl-after-finished)
        }
    }
}
