package dev.slipway.staging;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Turns stored source into an image in the registry. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StagingServiceApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The service as an application. Its configuration is {@code staging-service.yml}, not
     * {@code application.yml}, so that all services can run in one JVM (local mode) without reading
     * each other's settings.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(StagingServiceApplication.class).properties("spring.config.name=staging-service");
    }
}
