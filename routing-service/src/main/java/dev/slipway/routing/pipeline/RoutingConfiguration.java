package dev.slipway.routing.pipeline;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.ReservedHosts;
import dev.slipway.events.spring.ConditionalOnRuntime;
import dev.slipway.events.spring.EventSource;
import dev.slipway.events.spring.RuntimeMode;
import dev.slipway.events.spring.StageAttempts;
import dev.slipway.events.spring.StageBindings;
import dev.slipway.events.spring.WallSettings;
import dev.slipway.routing.RoutingInputs;
import dev.slipway.routing.RoutingProperties;
import dev.slipway.routing.WantedRoutes;
import dev.slipway.routing.ingress.IngressRoutes;
import dev.slipway.routing.metrics.RouteMetrics;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the Ingress routing to the event log (binding {@code route-in-0}) when apps run on Kubernetes. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutingProperties.class)
@ConditionalOnRuntime(RuntimeMode.KUBERNETES)
class RoutingConfiguration {

    /** The client does not retry on its own: the pipeline's retry (slipway.routing.attempts) is the one that counts. */
    @Bean(destroyMethod = "close")
    KubernetesClient routingKubernetesClient(RoutingProperties properties) throws IOException {
        Config config = properties.kubeconfig().isBlank() ? Config.autoConfigure(null)
                : Config.fromKubeconfig(Files.readString(Path.of(properties.kubeconfig())));
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Bean
    RoutingPipeline routingPipeline(EventSource source, KubernetesClient routingKubernetesClient,
                                    RoutingProperties properties, ReservedHosts reservedHosts,
                                    WallSettings.Reserved reservedNamespaces,
                                    @Value("${slipway.system-domain:localhost}") String systemDomain) {
        return new RoutingPipeline(source.uri(), new IngressRoutes(routingKubernetesClient, properties),
                new WantedRoutes(systemDomain, reservedHosts, reservedNamespaces.policy()), properties);
    }

    /** The stage on the event log, its inputs marked in the attempt ledger; see {@link StageBindings}. */
    @Bean
    Consumer<Event<EventData>> route(RoutingPipeline pipeline, StageAttempts attempts, StreamBridge streamBridge,
                                     MeterRegistry meterRegistry) {
        return StageBindings.consumer(new RouteMetrics(meterRegistry).around(pipeline::accept), RoutingInputs.INGRESS, attempts, streamBridge);
    }
}
