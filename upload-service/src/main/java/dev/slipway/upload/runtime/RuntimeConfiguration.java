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
    /** What a refused read's {@code Retry-After} says: a read usually ends within seconds. */
    private static final Duration READ_RETRY_AFTER = Duration.ofSeconds(5);

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

    /**
     * The logs each user reads without follow: each read holds the same threads and readers as a follow
     * until it ends (up to slipway.logs.read-timeout). Counted apart, so a user's follows never block a read.
     */
    @Bean(UserSlots.LOG_READS)
    UserSlots readSlots(LogsProperties properties) {
        return new UserSlots(properties.maxReadsPerUser(), READ_RETRY_AFTER, "too many log reads",
                user -> "user " + user + " already has " + properties.maxReadsPerUser() + " log reads running, the "
                        + "most one user may at once (slipway.logs.max-reads-per-user); wait for one to end (or end "
                        + "it) and try again");
    }
}
