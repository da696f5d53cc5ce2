package dev.slipway.routing.local;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The router of local mode ({@code slipway.local.router.*}).
 *
 * @param port     where it listens; apps answer at {@code http://<app>.localhost:<port>/}; 0 picks a free port
 * @param address  the address it binds; loopback unless the apps should be reachable from elsewhere
 * @param settle   how long a routing decision may wait for the router's own view of the event log
 */
@ConfigurationProperties("slipway.local.router")
public record LocalRouterProperties(@DefaultValue("8888") int port, @DefaultValue("127.0.0.1") String address,
                                    @DefaultValue("30s") Duration settle) {
}
