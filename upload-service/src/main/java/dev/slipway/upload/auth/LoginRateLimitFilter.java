package dev.slipway.upload.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.slipway.upload.api.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps login and token requests per client address, whether they succeed or not, so that neither
 * endpoint can be hammered; failed attempts on every scheme are limited separately by {@link AuthThrottle}.
 */
class LoginRateLimitFilter extends OncePerRequestFilter {

    private static final Set<String> LIMITED = Set.of("/api/v1/login", "/api/v1/authtoken", "/api/v1/auth/cli-tokens");

    private final int perMinute;
    private final WindowCounters requests;
    private final ClientAddresses clients;

    LoginRateLimitFilter(int perMinute, int capacity, ClientAddresses clients, Ticker ticker) {
        this.perMinute = perMinute;
        this.requests = new WindowCounters(Duration.ofMinutes(1), capacity, ticker);
        this.clients = clients;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !LIMITED.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = AuthThrottle.clientKey(clients.of(request));
        if (requests.add(client) > perMinute) {
            long wait = requests.remaining(client).map(left -> Math.max(1, (left.toMillis() + 999) / 1000)).orElse(1L);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
            ErrorResponses.write(response, HttpStatus.TOO_MANY_REQUESTS, "too many requests",
                    "too many login or token requests from this address; try again in " + wait + " seconds");
            return;
        }
        chain.doFilter(request, response);
    }
}
