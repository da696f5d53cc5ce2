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
 * {@code ?authtoken=<token>} (streaming clients that cannot set headers; short-lived tokens only), a
 * long-lived CLI token as Bearer, or the session cookie
 * from {@code /login}. A request carrying a bad or expired one is refused here with 401; forged
 * ones count as failures of their client address, and past its limit that client gets 429.
 * A request the cookie authenticated is marked ({@link #SESSION_ATTRIBUTE}) for the CSRF check.
 */
class TokenAuthenticationFilter extends OncePerRequestFilter {

    static final String SESSION_COOKIE = SessionCookies.NAME;
    /** Holds the session cookie's value on a request that the cookie authenticated. */
    static final String SESSION_ATTRIBUTE = TokenAuthenticationFilter.class.getName() + ".session";
    /** Holds the {@link SignedTokens.Verified} CLI token that authenticated a request, so it can revoke itself. */
    static final String CLI_TOKEN_ATTRIBUTE = TokenAuthenticationFilter.class.getName() + ".cliToken";
    /** Marks every request a token or session authenticated, whatever other credentials it also carries. */
    static final String TOKEN_ATTRIBUTE = TokenAuthenticationFilter.class.getName() + ".token";

    private final SignedTokens tokens;
    private final SlipwayUsers users;
    private final ClientAddresses clients;
    private final FailedAuthentication failures;
    private final Revocations revocations;

    TokenAuthenticationFilter(SignedTokens tokens, SlipwayUsers users, ClientAddresses clients,
                              FailedAuthentication failures, Revocations revocations) {
        this.tokens = tokens;
        this.revocations = revocations;
        this.users = users;
        this.clients = clients;
        this.failures = failures;
    }

    /** Logging in needs no token, and a stale cookie must not stand in its way. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return "/api/v1/login".equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Presented> presented = presented(request);
        if (presented.isPresent()) {
            Presented token = presented.get();
            String client = clients.of(request);
            try {
                SignedTokens.Verified verified = tokens.verify(token.kind(), token.token());
                if (revocations.isRevoked(verified.username(), verified.issuedAt())
                        || token.kind() == SignedTokens.Kind.CLI
                        && revocations.isCliTokenRevoked(verified.username(), verified.id())) {
                    throw new SignedTokens.InvalidTokenException("this token or session was revoked (logged out); "
                            + "log in again", false);
                }
                UserDetails user = users.loadUserByUsername(verified.username());
                SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken
                        .authenticated(user, null, user.getAuthorities()));
                request.setAttribute(TOKEN_ATTRIBUTE, token.kind());
                if (token.kind() == SignedTokens.Kind.SESSION) {
                    request.setAttribute(SESSION_ATTRIBUTE, token.token());
                }
                if (token.kind() == SignedTokens.Kind.CLI) {
                    request.setAttribute(CLI_TOKEN_ATTRIBUTE, verified);
                }
            } catch (SignedTokens.InvalidTokenException refused) {
                if (refused.forged()) {
                    // checking a token is one HMAC, so a genuine one is never held up by its neighbours' failures
                    try {
                        failures.refuseIfThrottled(null, client);
                    } catch (TooManyFailuresException throttled) {
                        Refusals.tooManyFailures(response, throttled);
                        return;
                    }
                    failures.record(token.kind() == SignedTokens.Kind.SESSION ? "session" : "bearer", null, client,
                            "forged-token");
                }
                ErrorResponses.write(response, HttpStatus.UNAUTHORIZED, "unauthorized", refused.getMessage());
                return;
            } catch (UsernameNotFoundException removed) {
                ErrorResponses.write(response, HttpStatus.UNAUTHORIZED, "unauthorized",
                        "the user this token names no longer exists");
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
            String bearer = authorization.substring(7).trim();
            return Optional.of(new Presented(SignedTokens.claimedKind(bearer), bearer));
        }
        // only short-lived tokens ride in URLs, which end up in logs and histories; a CLI token there is refused
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
