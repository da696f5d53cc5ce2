package dev.slipway.upload.webhooks;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.time.Duration;

/**
 * One circuit breaker per target {@code host:port}, shared by all subscriptions to it: when a
 * target is down, its subscriptions stop knocking together and try again after {@code openWait}.
 */
class TargetBreakers {

    private final CircuitBreakerRegistry registry;

    TargetBreakers(Duration openWait) {
        registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openWait)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    }

    CircuitBreaker of(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return registry.circuitBreaker(uri.getHost() + ":" + port);
    }
}
