package dev.slipway.upload.auth;

import dev.slipway.upload.api.ApiErrors;
import dev.slipway.upload.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Login (a session cookie and its anti-forgery token), logout and revocation, and short-lived tokens
 * for streaming clients.
 */
@RestController
class AuthController {

    private final PasswordCheck passwords;
    private final SignedTokens tokens;
    private final SessionCookies cookies;
    private final ClientAddresses clients;
    private final AuthProperties properties;
    private final Revocations revocations;
    private final SlipwayUsers users;
    private final Clock clock = Clock.systemUTC();

    AuthController(PasswordCheck passwords, SignedTokens tokens, SessionCookies cookies, ClientAddresses clients,
                   AuthProperties properties, Revocations revocations, SlipwayUsers users) {
        this.revocations = revocations;
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.cookies = cookies;
        this.clients = clients;
        this.properties = properties;
    }

    record Credentials(String username, String password) {
    }

    /** {@code csrfToken} goes in the {@code X-Slipway-Csrf} header of every request that changes something. */
    record LoginResponse(String username, String expiresIn, String csrfToken) {
    }

    record TokenResponse(String token) {
    }

    @PostMapping("/api/v1/login")
    ResponseEntity<LoginResponse> login(@RequestBody Credentials credentials, HttpServletRequest request) {
        AuthProperties.User user;
        try {
            user = passwords.check("login", credentials == null ? null : credentials.username(),
                    credentials == null ? null : credentials.password(), clients.of(request));
        } catch (BadCredentialsException wrong) {
            throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "wrong username or password");
        }
        Duration ttl = properties.sessionTtl();
        String session = tokens.issue(SignedTokens.Kind.SESSION, user.username(), ttl);
        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookies.issue(session, ttl))
                .body(new LoginResponse(user.username(), ttl.toString(), tokens.csrfToken(session)));
    }

    /**
     * Ends the caller's sessions and tokens on every replica, not just this browser's cookie: a
     * signed token cannot be recalled one by one, so all those issued to the user until now go.
     */
    @PostMapping("/api/v1/logout")
    ResponseEntity<Void> logout(Caller caller) {
        revocations.revoke(caller.username(), clock.instant());
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, cookies.expired()).build();
    }

    record Revoked(String username, Instant revokedBefore) {
    }

    /** Ends every session and token of a user, e.g. one whose laptop was lost; admins, or the user themself. */
    @PostMapping("/api/v1/users/{username}/revoke-tokens")
    Revoked revokeTokens(@PathVariable String username, Caller caller) {
        if (!caller.admin() && !caller.username().equals(username)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "only an admin may revoke another user's tokens");
        }
        if (users.find(username).isEmpty()) {
            throw ApiException.notFound("no user " + username);
        }
        Instant now = clock.instant();
        revocations.revoke(username, now);
        return new Revoked(username, now);
    }

    /** A token for clients that cannot send credentials, e.g. an EventSource; {@code ttl} in seconds. */
    @GetMapping("/api/v1/authtoken")
    TokenResponse token(Caller caller, @RequestParam(required = false) Long ttl) {
        Duration lifetime = ttl == null ? properties.tokenTtl() : Duration.ofSeconds(ttl);
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(properties.tokenMaxTtl()) > 0) {
            throw ApiException.badRequest("ttl must be between 1 and " + properties.tokenMaxTtl().toSeconds()
                    + " seconds");
        }
        return new TokenResponse(tokens.issue(SignedTokens.Kind.TOKEN, caller.username(), lifetime));
    }

    @ExceptionHandler(TooManyFailuresException.class)
    ResponseEntity<ApiErrors> throttled(TooManyFailuresException throttled) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()))
                .body(ApiErrors.of(HttpStatus.TOO_MANY_REQUESTS, "too many requests", throttled.getMessage()));
    }
}
