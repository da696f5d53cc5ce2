package dev.slipway.upload.auth;

import dev.slipway.upload.api.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by a signed token: {@code Authorization: Bearer <token>} or
 * {@code ?authtoken=<token>} (streaming clients that cannot set headers), or the session cookie
 * from {@code /login}. A request carrying a bad or expired one is refused here with 401.
 */
class TokenAuthenticationFilter extends OncePerRequestFilter {

    static final String SESSION_COOKIE = "slipway_session";

    private final SignedTokens tokens;
    private final SlipwayUsers users;

    TokenAuthenticationFilter(SignedTokens tokens, SlipwayUsers users) {
        this.tokens = tokens;
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Presented> presented = presented(request);
        if (presented.isPresent()) {
            try {
                String username = tokens.verify(presented.get().kind(), presented.get().token());
                UserDetails user = users.loadUserByUsername(username);
                SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken
                        .authenticated(user, null, user.getAuthorities()));
            } catch (SignedTokens.InvalidTokenException | UsernameNotFoundException refused) {
                ErrorResponses.write(response, HttpStatus.UNAUTHORIZED, "unauthorized", refused.getMessage());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private record Presented(SignedTokens.Kind kind, String token) {
    }

    private static Optional<Presented> presented(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(new Presented(SignedTokens.Kind.TOKEN, authorization.substring(7).trim()));
        }
        String query = request.getParameter("authtoken");
        if (query != null && !query.isBlank()) {
            return Optional.of(new Presented(SignedTokens.Kind.TOKEN, query));
        }
        if (authorization == null && request.getCookies() != null) {
            return Arrays.stream(request.getCookies())
                    .filter(cookie -> SESSION_COOKIE.equals(cookie.getName()))
                    .map(Cookie::getValue)
                    .findFirst()
                    .map(value -> new Presented(SignedTokens.Kind.SESSION, value));
        }
        return Optional.empty();
    }
}
