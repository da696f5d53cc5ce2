package dev.slipway.deploy.local;

import dev.slipway.deploy.pipeline.AppConfigurations;
import dev.slipway.events.AppMemory;
import dev.slipway.events.spring.ConditionalOnRuntime;
import dev.slipway.events.spring.RuntimeMode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** Apps on this machine, run by podman, when no Kubernetes cluster is configured. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRuntime(RuntimeMode.LOCAL)
class LocalDeployConfiguration {

    @Bean
    PodmanTarget podmanTarget(LocalRuntimeProperties properties, AppConfigurations configurations,
                              @Value("${" + AppMemory.MAX_PROPERTY + ":" + AppMemory.DEFAULT_MAX + "}")
                              DataSize maxMemory) {
        Podman podman = new Podman(properties.podman(), properties.ociRuntime(), properties.installation(),
                ContainerInit.resolve(properties.init()), properties.appStopTimeout());
        return new PodmanTarget(podman, properties, configurations, maxMemory);
    }
}
