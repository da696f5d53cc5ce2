package dev.slipway.routing.pipeline;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.Route;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.RoutesReady;
import dev.slipway.routing.RoutingFailure;
import dev.slipway.routing.RoutingProperties;
import dev.slipway.routing.WantedRoutes;
import dev.slipway.routing.ingress.IngressRoutes;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes a deployed app reachable: its default route {@code <app>.<system-domain>} (unless turned
 * off) and its custom routes, then {@code routes.ready} with the URLs; or {@code routes.failed} with
 * ROUTE_INVALID, ROUTE_CONFLICT (a reserved host, a host of another namespace,
 * a route of another app of the namespace) or CLUSTER_UNAVAILABLE (retryable, after retries
 * with back-off). Applying the same routes again changes nothing, so redeliveries are harmless.
 */
public final class RoutingPipeline {

    private final URI source;
    private final IngressRoutes ingresses;
    private final WantedRoutes wantedRoutes;
    private final Retry retry;

    public RoutingPipeline(URI source, IngressRoutes ingresses, WantedRoutes wantedRoutes,
                           RoutingProperties properties) {
        this.source = source;
        this.ingresses = ingresses;
        this.wantedRoutes = wantedRoutes;
        this.retry = Retry.of("kubernetes", RetryConfig.custom()
                .maxAttempts(properties.attempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.retryWait(), 2))
                .retryOnException(RoutingPipeline::transient_)
                .build());
    }

    public void accept(Event<? extends EventData> event, Consumer<Event<?>> emit) {
        if (event.data() instanceof AppDeleted deleted) {
            // a failure here is thrown: the binding retries and then dead-letters the deletion
            Retry.decorateRunnable(retry, () -> ingresses.removeAll(deleted.app())).run();
            return;
        }
        if (!(event.data() instanceof AppDeployed deployed)) {
            return;
        }
        try {
            List<Route> wanted = wantedRoutes.of(deployed);
            List<String> urls = retry.executeCallable(() -> ingresses.apply(deployed.app(), wanted));
            emit.accept(event.next(source, new RoutesReady(deployed.blobUid(), deployed.app(), urls)));
        } catch (RoutingFailure failure) {
            emit.accept(event.next(source, RoutesFailed.of(deployed,
                    new Failure(failure.reason(), failure.getMessage(), false))));
        } catch (KubernetesClientException refused) {
            boolean unreachable = transient_(refused);
            emit.accept(event.next(source, RoutesFailed.of(deployed,
                    new Failure(ReasonCodes.CLUSTER_UNAVAILABLE, unreachable ? "the Kubernetes API did not answer ("
                            + refused.getMessage() + "); replay the push once it does"
                            : "the Kubernetes API refused the Ingress (HTTP " + refused.getCode() + ": "
                            + refused.getMessage() + "); check routing-service's permissions and admission "
                            + "policies, then replay the push", unreachable))));
        } catch (Exception unexpected) {
            throw new IllegalStateException("routing " + deployed.app() + " failed: " + unexpected.getMessage(),
                    unexpected);
        }
    }

    /** Faults worth another try: no answer, throttling, or a server-side error. */
    private static boolean transient_(Throwable error) {
        // no HTTP status at all (below 100) means no answer: connection refused, timeout
        return error instanceof KubernetesClientException e && (e.getCode() < 100 || e.getCode() == 429
                || e.getCode() >= 500);
    }
}
