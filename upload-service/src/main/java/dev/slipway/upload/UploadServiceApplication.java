package dev.slipway.upload;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The API server: the entry point of every push. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class UploadServiceApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The service as an application. Its configuration is {@code upload-service.yml}, not
     * {@code application.yml}, so that all services can run in one JVM (local mode) without reading
     * each other's settings.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(UploadServiceApplication.class).properties("spring.config.name=upload-service");
    }
}
