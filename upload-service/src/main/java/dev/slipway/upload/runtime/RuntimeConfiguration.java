package dev.slipway.upload.runtime;

import dev.slipway.events.spring.ConditionalOnRuntime;
import dev.slipway.events.spring.RuntimeMode;
import dev.slipway.upload.limits.UserSlots;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The app runtime the API reads instances and logs from: podman here, or the cluster ({@code slipway.runtime}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LogsProperties.class, LocalRuntimeSettings.class})
class RuntimeConfiguration {

    /** What a refused follow's {@code Retry-After} says. */
    private static final Duration FOLLOW_RETRY_AFTER = Duration.ofSeconds(10);

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

    /** The logs each user follows: each follow holds reader processes (or API connections) and threads. */
    @Bean(UserSlots.LOG_FOLLOWS)
    UserSlots followSlots(LogsProperties properties) {
        return new UserSlots(properties.maxFollowsPerUser(), FOLLOW_RETRY_AFTER, "too many follows",
                user -> "user " + user + " already follows " + properties.maxFollowsPerUser() + " logs, the most one "
                        + "user may (slipway.logs.max-follows-per-user); end one and try again");
    }
}
