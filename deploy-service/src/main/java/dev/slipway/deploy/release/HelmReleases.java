package dev.slipway.deploy.release;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.slipway.deploy.chart.ReleaseValues;
import dev.slipway.deploy.pipeline.DeployFailure;
import dev.slipway.events.ReasonCodes;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Helm release of the application chart per app (release = app name, in the app's namespace),
 * so {@code helm list -n <namespace>} shows the apps. Every Helm call has a timeout. A release that
 * exists is touched only when Slipway made it ({@link ReleaseOwnership}); one left failed or pending
 * by an earlier attempt is then uninstalled and installed again rather than left blocking later
 * deploys. Upgrades use Helm's force (replace, not patch). Values reach Helm through a private file
 * that exists only for the call ({@link PrivateValuesFile}).
 */
public class HelmReleases {

    private static final Set<String> STUCK = Set.of("failed", "pending-install", "pending-upgrade",
            "pending-rollback", "uninstalling");

    private final Path chart;
    private final String kubeconfig;
    private final DeployProperties properties;
    private final ReleaseOwnership ownership;
    private final Path valuesRoot;
    private final Retry retry;
    private final CircuitBreaker breaker;

    /** {@code kubeconfig}: kubeconfig contents, or null for Helm's usual lookup. */
    public HelmReleases(Path chart, String kubeconfig, DeployProperties properties, ReleaseHistory history) {
        this.chart = chart;
        this.kubeconfig = kubeconfig;
        this.properties = properties;
        this.ownership = new ReleaseOwnership(history);
        this.valuesRoot = PrivateValuesFile.root(properties.valuesDir());
        this.retry = Retry.of("helm", RetryConfig.custom()
                .maxAttempts(properties.attempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.retryWait(), 2))
                .retryOnException(error -> error instanceof DeployFailure failure && failure.retryable())
                .build());
        this.breaker = CircuitBreaker.of("cluster", CircuitBreakerConfig.custom()
                .slidingWindowSize(10).minimumNumberOfCalls(5).failureRateThreshold(60)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .recordException(error -> error instanceof DeployFailure failure && failure.retryable())
                .build());
    }

    public Release deploy(String namespace, ReleaseValues values) throws DeployFailure {
        return deploy(namespace, values.appName(), values.asMap());
    }

    /**
     * Installs or upgrades {@code name} with {@code values} (for a rollback: as an earlier revision
     * recorded them). RELEASE_NOT_OWNED, and nothing touched, when a release of that name is not Slipway's.
     */
    public Release deploy(String namespace, String name, Map<String, Object> values) throws DeployFailure {
        Optional<Release> current = find(namespace, name);
        if (current.isPresent()) {
            ownership.requireOwned(namespace, name, current.get());
            if (STUCK.contains(current.get().getStatus())) {
                uninstall(namespace, name);
                current = Optional.empty();
            }
        }
        String json;
        try {
            json = JsonMapper.shared().writeValueAsString(ReleaseOwnership.marked(values, namespace, name));
        } catch (RuntimeException e) {
            throw new DeployFailure(ReasonCodes.CHART_RENDER_FAILED, "cannot write values: " + e.getMessage(), true, e);
        }
        try (PrivateValuesFile valuesFile = PrivateValuesFile.write(valuesRoot, json)) {
            if (current.isPresent()) {
                var upgrade = new Helm(chart).upgrade().withName(name).withNamespace(namespace)
                        .withValuesFile(valuesFile.path()).force();
                if (!properties.openApiValidation()) {
                    upgrade.disableOpenApiValidation();
                }
                return call("helm upgrade " + name,
                        () -> (kubeconfig == null ? upgrade : upgrade.withKubeConfigContents(kubeconfig)).call());
            }
            var install = new Helm(chart).install().withName(name).withNamespace(namespace)
                    .withValuesFile(valuesFile.path());
            if (!properties.openApiValidation()) {
                install.disableOpenApiValidation();
            }
            return call("helm install " + name,
                    () -> (kubeconfig == null ? install : install.withKubeConfigContents(kubeconfig)).call());
        } catch (java.io.UncheckedIOException e) {
            throw new DeployFailure(ReasonCodes.CHART_RENDER_FAILED, e.getMessage() + ": " + e.getCause().getMessage()
                    + "; check that " + valuesRoot + " is writable", true, e);
        }
    }

    /** The app's release if Slipway made it; empty when there is none; RELEASE_NOT_OWNED when another's. */
    public Optional<Release> findOwned(String namespace, String name) throws DeployFailure {
        Optional<Release> current = find(namespace, name);
        if (current.isPresent()) {
            ownership.requireOwned(namespace, name, current.get());
        }
        return current;
    }

    public Optional<Release> find(String namespace, String name) throws DeployFailure {
        var list = Helm.list().all().withNamespace(namespace);
        List<Release> releases = call("helm list -n " + namespace,
                () -> (kubeconfig == null ? list : list.withKubeConfigContents(kubeconfig)).call());
        return releases.stream().filter(release -> release.getName().equals(name)).findFirst();
    }

    /** Uninstalls {@code name}; callers check first that it is Slipway's ({@link #findOwned}). */
    public void uninstall(String namespace, String name) throws DeployFailure {
        var uninstall = Helm.uninstall(name).withNamespace(namespace);
        call("helm uninstall " + name,
                () -> (kubeconfig == null ? uninstall : uninstall.withKubeConfigContents(kubeconfig)).call());
    }

    /**
     * A Helm call that meets an unreachable cluster is tried again with back-off; while the cluster keeps
     * failing, the circuit breaker fails calls at once instead of queueing more of them behind it.
     */
    private <T> T call(String what, Callable<T> helm) throws DeployFailure {
        try {
            return Retry.decorateCheckedSupplier(retry, CircuitBreaker.decorateCheckedSupplier(breaker,
                    () -> once(what, helm))).get();
        } catch (DeployFailure failure) {
            throw failure;
        } catch (CallNotPermittedException open) {
            throw new DeployFailure(ReasonCodes.CLUSTER_UNAVAILABLE, what + " was not tried: the cluster failed "
                    + "repeatedly just now; replay the push once it answers", true, open);
        } catch (Throwable unexpected) {
            throw new DeployFailure(ReasonCodes.CLUSTER_UNAVAILABLE, what + " failed: " + unexpected.getMessage(),
                    true, unexpected);
        }
    }

    private <T> T once(String what, Callable<T> helm) throws DeployFailure {
        Duration timeout = properties.helmTimeout();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return helm.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new DeployFailure(ReasonCodes.CLUSTER_UNAVAILABLE, what + " did not finish within " + timeout
                    + "; the cluster may be unreachable, replay the push when it answers", true, e);
        } catch (ExecutionException e) {
            String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            boolean unreachable = message != null && (message.contains("unreachable") || message.contains("connect"));
            throw new DeployFailure(unreachable ? ReasonCodes.CLUSTER_UNAVAILABLE : ReasonCodes.CHART_RENDER_FAILED,
                    what + " failed: " + message, unreachable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployFailure(ReasonCodes.CLUSTER_UNAVAILABLE, what + " was interrupted", true, e);
        }
    }
}
