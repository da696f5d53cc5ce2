package dev.slipway.routing.ingress;

import dev.slipway.events.AppRef;
import dev.slipway.events.Route;
import dev.slipway.routing.RoutingProperties;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Ingress for one route of one app: host and path prefix to the app's Service (the application
 * chart names it after the app, port {@code http}), and TLS by issuer annotation or existing secret.
 */
public final class IngressManifests {

    /** The port name of the chart's Service. */
    static final String SERVICE_PORT = "http";

    private final RoutingProperties properties;

    public IngressManifests(RoutingProperties properties) {
        this.properties = properties;
    }

    /** {@code <app>-<hash of route>}: stable across pushes, so a route's Ingress is updated rather than replaced. */
    public static String name(AppRef app, Route route) {
        return app.name() + "-" + RouteLabels.hash(route.toString(), 10);
    }

    /** {@code tlsSecret}: an existing secret to serve, or null; ignored when an issuer makes certificates. */
    public Ingress ingress(AppRef app, Route route, String tlsSecret) {
        String name = name(app, route);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(RouteLabels.ROUTE, route.toString());
        String secret = tlsSecret;
        if (properties.issuesCertificates()) {
            annotations.put("ClusterIssuer".equals(properties.tlsIssuerKind()) ? "cert-manager.io/cluster-issuer"
                    : "cert-manager.io/issuer", properties.tlsIssuer());
            secret = name + "-tls";  // cert-manager writes the certificate here
        }
        IngressBuilder builder = new IngressBuilder()
                .withNewMetadata().withName(name).withNamespace(app.namespace())
                    .withLabels(RouteLabels.of(app)).withAnnotations(annotations).endMetadata()
                .withNewSpec().withIngressClassName(properties.ingressClass())
                    .addNewRule().withHost(route.host()).withNewHttp()
                        .addNewPath().withPath(route.pathPrefix()).withPathType("Prefix")
                            .withNewBackend().withNewService().withName(app.name())
                                .withNewPort().withName(SERVICE_PORT).endPort()
                            .endService().endBackend()
                        .endPath()
                    .endHttp().endRule()
                .endSpec();
        if (secret != null) {
            builder.editSpec().addNewTl().addToHosts(route.host()).withSecretName(secret).endTl().endSpec();
        }
        return builder.build();
    }

    /** Whether users reach the route over https. */
    public static boolean servesTls(Ingress ingress) {
        return ingress.getSpec().getTls() != null && !ingress.getSpec().getTls().isEmpty();
    }
}
