package dev.slipway.deploy;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Runs staged images as Helm releases and waits for their rollout. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DeployServiceApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The service as an application. Its configuration is {@code deploy-service.yml}, not
     * {@code application.yml}, so that all services can run in one JVM (local mode) without reading
     * each other's settings.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(DeployServiceApplication.class).properties("spring.config.name=deploy-service");
    }
}
