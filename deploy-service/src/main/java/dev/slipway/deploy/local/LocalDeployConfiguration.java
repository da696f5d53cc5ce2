package dev.slipway.deploy.local;

import dev.slipway.deploy.pipeline.AppConfigurations;
import dev.slipway.events.spring.ConditionalOnRuntime;
import dev.slipway.events.spring.RuntimeMode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Apps on this machine, run by podman, when no Kubernetes cluster is configured. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRuntime(RuntimeMode.LOCAL)
class LocalDeployConfiguration {

    @Bean
    PodmanTarget podmanTarget(LocalRuntimeProperties properties, AppConfigurations configurations) {
        Podman podman = new Podman(properties.podman(), properties.ociRuntime(), properties.installation(),
                ContainerInit.resolve(properties.init()), properties.appStopTimeout());
        return new PodmanTarget(podman, properties, configurations);
    }
}
