package dev.slipway.events.spring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.env.Environment;

/**
 * Where apps run: on a Kubernetes cluster, or on this machine (podman and a local router). Set with
 * {@code slipway.runtime} ({@code kubernetes}, {@code local}, or {@code auto}, the default): auto
 * means Kubernetes when a kubeconfig is configured ({@code slipway.deploy.kubeconfig},
 * {@code slipway.routing.kubeconfig}, {@code KUBECONFIG}, {@code ~/.kube/config}) or the service
 * runs inside a cluster, and local otherwise. deploy-service and routing-service decide alike, so
 * one setting switches both.
 */
public enum RuntimeMode {
    KUBERNETES, LOCAL;

    public static final String PROPERTY = "slipway.runtime";
    private static final List<String> KUBECONFIG_PROPERTIES = List.of("slipway.deploy.kubeconfig",
            "slipway.routing.kubeconfig");

    public static RuntimeMode of(Environment environment) {
        return of(environment, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static RuntimeMode of(Environment environment, Map<String, String> variables, Path home) {
        String chosen = environment.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (chosen) {
            case "kubernetes":
                return KUBERNETES;
            case "local":
                return LOCAL;
            case "auto":
                break;
            default:
                throw new IllegalArgumentException(PROPERTY + " must be kubernetes, local or auto, was '" + chosen
                        + "'");
        }
        boolean kubeconfig = KUBECONFIG_PROPERTIES.stream().anyMatch(name -> !environment.getProperty(name, "")
                .isBlank())
                || !variables.getOrDefault("KUBECONFIG", "").isBlank()
                || variables.containsKey("KUBERNETES_SERVICE_HOST")
                || Files.isRegularFile(home.resolve(".kube").resolve("config"));
        return kubeconfig ? KUBERNETES : LOCAL;
    }
}
