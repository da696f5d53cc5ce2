package dev.slipway.upload.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Cross-site request forgery: a browser sends the session cookie with any request to this host,
 * also one a foreign page makes it send. A request that the cookie authenticated and that may
 * change something must therefore carry {@link #HEADER} with the session's token from login. A
 * foreign page can neither read that token nor set a custom header on a cross-origin request
 * without the CORS preflight this API never grants. SameSite=Strict alone is not enough: apps are
 * served from subdomains of the same site, and their pages count as same-site.
 * Requests with HTTP Basic or a bearer token carry their credentials explicitly and are not checked.
 */
final class SessionCsrfFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Slipway-Csrf";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final SignedTokens tokens;

    SessionCsrfFilter(SignedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Object session = request.getAttribute(TokenAuthenticationFilter.SESSION_ATTRIBUTE);
        if (session instanceof String cookie && !SAFE_METHODS.contains(request.getMethod())
                && !tokens.isCsrfToken(cookie, request.getHeader(HEADER))) {
            Refusals.missingCsrfToken(response);
            return;
        }
        chain.doFilter(request, response);
    }
}
