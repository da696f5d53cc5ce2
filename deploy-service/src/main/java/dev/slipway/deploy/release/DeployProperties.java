package dev.slipway.deploy.release;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How apps are released ({@code slipway.deploy.*}).
 *
 * @param kubeconfig         kubeconfig file for Helm and the rollout watch; empty: the usual lookup
 *                           ({@code KUBECONFIG}, {@code ~/.kube/config}, in-cluster)
 * @param helmTimeout        longest any Helm call may take
 * @param rolloutTimeout     how long to wait for ready instances before ROLLOUT_TIMEOUT
 * @param openApiValidation  let Helm validate manifests against the cluster's OpenAPI schema
 * @param attempts           tries for a cluster that does not answer, before CLUSTER_UNAVAILABLE
 * @param retryWait          first wait between tries, doubled each time
 * @param valuesDir          where each Helm call's values file (the app's env, decrypted) lives for the
 *                           call's length; empty: {@code /dev/shm} (memory) when writable, else the temp folder
 */
@ConfigurationProperties("slipway.deploy")
public record DeployProperties(@DefaultValue("") String kubeconfig, @DefaultValue("3m") Duration helmTimeout,
                               @DefaultValue("3m") Duration rolloutTimeout,
                               @DefaultValue("true") boolean openApiValidation,
                               @DefaultValue("4") int attempts, @DefaultValue("1s") Duration retryWait,
                               @DefaultValue("") String valuesDir) {
}
