package dev.slipway.deploy.release;

import dev.slipway.deploy.chart.ChartDirectory;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.events.spring.EventSource;
import dev.slipway.events.spring.StageBindings;
import dev.slipway.events.spring.TopicFollower;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Wires Helm, the rollout watch and the event log (binding {@code deploy-in-0}). */
@Configuration(proxyBeanMethods = false)
class DeployConfiguration {

    private static final String APPS_TOPIC = "slipway.apps";

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
    AppConfigurations appConfigurations(@Value("${slipway.secrets.key:}") String secretsKey) {
        return new AppConfigurations(new SecretBox(secretsKey));
    }

    /** Reads the apps' configurations from upload-service's app store, as every replica does. */
    @Bean
    TopicFollower appConfigurationFollower(AppConfigurations configurations, KafkaAdmin kafkaAdmin) {
        return new TopicFollower(APPS_TOPIC, kafkaAdmin.getConfigurationProperties(), configurations::apply);
    }

    @Bean
    DeployPipeline deployPipeline(EventSource source, HelmReleases releases, KubernetesClient deployKubernetesClient,
                                  DeployProperties properties, AppConfigurations configurations) {
        return new DeployPipeline(source.uri(), releases, new RolloutWatcher(deployKubernetesClient),
                deployKubernetesClient, properties, configurations);
    }

    /** The stage on the event log; see {@link StageBindings}. */
    @Bean
    Consumer<Event<EventData>> deploy(DeployPipeline pipeline, StreamBridge streamBridge) {
        return StageBindings.consumer(pipeline::accept, streamBridge);
    }
}
