package dev.slipway.routing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How apps are made reachable ({@code slipway.routing.*}).
 *
 * @param kubeconfig      kubeconfig file; empty: the usual lookup ({@code KUBECONFIG}, {@code ~/.kube/config},
 *                        in-cluster)
 * @param ingressClass    the Ingresses' {@code ingressClassName}
 * @param tlsIssuer       cert-manager issuer for every route; empty: use an existing TLS secret if one
 *                        covers the host, else plain http
 * @param tlsIssuerKind   {@code ClusterIssuer} or {@code Issuer} (then in the app's namespace)
 * @param claimsNamespace where the Leases that give each route one owner live
 * @param publicPort      port in the URLs when the ingress controller is not on 80/443; 0: none
 * @param attempts        tries for a Kubernetes API that does not answer, before CLUSTER_UNAVAILABLE
 * @param retryWait       first wait between tries, doubled each time
 */
@ConfigurationProperties("slipway.routing")
public record RoutingProperties(@DefaultValue("") String kubeconfig, @DefaultValue("traefik") String ingressClass,
                                @DefaultValue("") String tlsIssuer,
                                @DefaultValue("ClusterIssuer") String tlsIssuerKind,
                                @DefaultValue("slipway-system") String claimsNamespace,
                                @DefaultValue("0") int publicPort,
                                @DefaultValue("4") int attempts, @DefaultValue("1s") Duration retryWait) {

    public boolean issuesCertificates() {
        return !tlsIssuer.isBlank();
    }
}
