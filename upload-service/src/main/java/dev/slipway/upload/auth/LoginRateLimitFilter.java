package dev.slipway.upload.auth;

import dev.slipway.upload.api.ErrorResponses;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/** Caps login and token requests per client address, so passwords cannot be guessed at speed. */
class LoginRateLimitFilter extends OncePerRequestFilter {

    private static final Set<String> LIMITED = Set.of("/api/v1/login", "/api/v1/authtoken");

    private final RateLimiterRegistry limiters;

    LoginRateLimitFilter(int perMinute) {
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(perMinute)
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !LIMITED.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateLimiter limiter = limiters.rateLimiter("client-" + request.getRemoteAddr());
        if (!limiter.acquirePermission()) {
            response.setHeader("Retry-After", "60");
            ErrorResponses.write(response, HttpStatus.TOO_MANY_REQUESTS, "too many requests",
                    "too many login or token requests from this address; wait a minute and try again");
            return;
        }
        chain.doFilter(request, response);
    }
}
