package dev.slipway.upload.auth;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Requests that came in on the actuator's own port ({@code management.server.port}), when it has one
 * apart from the API's. That port is for the platform's probes and scraping: the chart's Ingress and
 * the API's Service lead only to the API port, so nothing from outside the cluster reaches it.
 * Without a port of its own (local mode) nothing matches.
 */
final class ManagementPort implements ApplicationListener<WebServerInitializedEvent>, RequestMatcher {

    /** The server namespace Spring Boot gives the actuator's own web server. */
    static final String NAMESPACE = "management";

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (NAMESPACE.equals(event.getApplicationContext().getServerNamespace())) {
            port = event.getWebServer().getPort();
        }
    }

    @Override
    public boolean matches(HttpServletRequest request) {
        return port > 0 && request.getLocalPort() == port;
    }
}
