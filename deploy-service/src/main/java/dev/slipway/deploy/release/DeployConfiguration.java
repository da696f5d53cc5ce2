package dev.slipway.deploy.release;

import dev.slipway.deploy.chart.ChartDirectory;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.EventSource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires Helm, the rollout watch and the event log (binding {@code deploy-in-0}). */
@Configuration(proxyBeanMethods = false)
class DeployConfiguration {

    /** Helm and fabric8 read the same kubeconfig, so both act on the same cluster. */
    @Bean(destroyMethod = "close")
    KubernetesClient deployKubernetesClient(DeployProperties properties) throws IOException {
        if (properties.kubeconfig().isBlank()) {
            return new KubernetesClientBuilder().build();
        }
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(properties.kubeconfig())))).build();
    }

    @Bean
    HelmReleases helmReleases(DeployProperties properties) throws IOException {
        Path chart = ChartDirectory.unpack(Files.createTempDirectory("slipway-chart").resolve("application"));
        String kubeconfig = properties.kubeconfig().isBlank() ? null : Files.readString(Path.of(properties.kubeconfig()));
        return new HelmReleases(chart, kubeconfig, properties);
    }

    @Bean
    DeployPipeline deployPipeline(EventSource source, HelmReleases releases, KubernetesClient deployKubernetesClient,
                                  DeployProperties properties) {
        return new DeployPipeline(source.uri(), releases, new RolloutWatcher(deployKubernetesClient),
                deployKubernetesClient, properties);
    }

    @Bean
    Consumer<Event<EventData>> deploy(DeployPipeline pipeline, StreamBridge streamBridge) {
        return event -> pipeline.accept(event, emitted -> {
            if (!streamBridge.send(Topics.EVENTS, emitted)) {
                throw new IllegalStateException("the event log did not take " + emitted.type().type());
            }
        });
    }
}
