package dev.slipway.deploy.release;

import dev.slipway.deploy.chart.ChartDirectory;
import dev.slipway.deploy.pipeline.AppConfigurations;
import dev.slipway.events.spring.ConditionalOnRuntime;
import dev.slipway.events.spring.RuntimeMode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Apps on Kubernetes: Helm and the rollout watch on the cluster the kubeconfig names. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRuntime(RuntimeMode.KUBERNETES)
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
    ReleaseHistory releaseHistory(KubernetesClient deployKubernetesClient) {
        return new ReleaseHistory(deployKubernetesClient);
    }

    @Bean
    HelmReleases helmReleases(DeployProperties properties, ReleaseHistory releaseHistory) throws IOException {
        Path chart = ChartDirectory.unpack(Files.createTempDirectory("slipway-chart").resolve("application"));
        String kubeconfig = properties.kubeconfig().isBlank() ? null : Files.readString(Path.of(properties.kubeconfig()));
        return new HelmReleases(chart, kubeconfig, properties, releaseHistory);
    }

    @Bean
    HelmTarget helmTarget(HelmReleases releases, KubernetesClient deployKubernetesClient, DeployProperties properties,
                          AppConfigurations configurations, ReleaseHistory releaseHistory) {
        return new HelmTarget(releases, new RolloutWatcher(deployKubernetesClient), deployKubernetesClient,
                properties, configurations, releaseHistory);
    }
}
