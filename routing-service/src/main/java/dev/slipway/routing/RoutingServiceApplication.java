package dev.slipway.routing;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Makes deployed apps reachable */
@SpringBootApplication
public class RoutingServiceApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The service as an application. Its configuration is {@code routing-service.yml}, not
     * {@code application.yml}, so that all services can run in one JVM (local mode) without reading
     * each other's settings.
     */
    public static SpringApplicationBuilder application() {
        return new SpringApplicationBuilder(RoutingServiceApplication.class).properties("spring.config.name=routing-service");
    }
}
