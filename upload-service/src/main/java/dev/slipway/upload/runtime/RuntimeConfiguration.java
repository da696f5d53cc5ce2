package dev.slipway.upload.runtime;

import dev.slipway.events.spring.ConditionalOnRuntime;
import dev.slipway.events.spring.RuntimeMode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The app runtime the API reads instances and logs from: podman here, or the cluster ({@code slipway.runtime}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LogsProperties.class, LocalRuntimeSettings.class})
class RuntimeConfiguration {

    @Bean
    @ConditionalOnRuntime(RuntimeMode.LOCAL)
    AppRuntime podmanRuntime(LocalRuntimeSettings settings) {
        return new PodmanRuntime(settings.podman(), settings.ociRuntime(), settings.installation());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnRuntime(RuntimeMode.KUBERNETES)
    KubernetesClient runtimeKubernetesClient(LogsProperties properties) throws IOException {
        if (properties.kubeconfig().isBlank()) {
            return new KubernetesClientBuilder().build();
        }
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(properties.kubeconfig())))).build();
    }

    @Bean
    @ConditionalOnRuntime(RuntimeMode.KUBERNETES)
    AppRuntime kubernetesRuntime(KubernetesClient runtimeKubernetesClient) {
        return new KubernetesRuntime(runtimeKubernetesClient);
    }

    @Bean
    FollowSlots followSlots(LogsProperties properties) {
        return new FollowSlots(properties.maxFollowsPerUser());
    }
}
