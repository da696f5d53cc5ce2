package dev.slipway.upload.auth;

import dev.slipway.upload.api.ApiErrors;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.api.LogSafe;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Login (a session cookie and its anti-forgery token), logout and revocation, short-lived tokens
 * for streaming clients, and long-lived revocable tokens for the CLI.
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

    /** {@code id} names the token for revocation; the token itself is shown this once and nowhere else. */
    record CliTokenResponse(String token, String id, String username, Instant expiresAt) {
    }

    /**
     * A long-lived token for the CLI, so it keeps no password. Only a password (HTTP Basic) gets one:
     * a token that could mint its successor would never end.
     */
    @PostMapping("/api/v1/auth/cli-tokens")
    ResponseEntity<CliTokenResponse> issueCliToken(Caller caller, HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        // how the request was authenticated, not what its headers say: with a token in the URL, Spring's
        // basic filter skips the password of the user the token already logged in
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)
                || request.getAttribute(TokenAuthenticationFilter.TOKEN_ATTRIBUTE) != null) {
            throw new ApiException(HttpStatus.FORBIDDEN, "forbidden",
                    "a CLI token is issued for a user name and password (HTTP Basic) only, not for a token or session");
        }
        Duration ttl = properties.cliTokenTtl();
        String token = tokens.issue(SignedTokens.Kind.CLI, caller.username(), ttl);
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new CliTokenResponse(token, SignedTokens.idOf(token), caller.username(),
                        tokens.verify(SignedTokens.Kind.CLI, token).issuedAt().plus(ttl)));
    }

    /** Revokes the CLI token this request was made with ({@code slipway logout}). */
    @DeleteMapping("/api/v1/auth/cli-tokens/current")
    ResponseEntity<Void> revokeCurrentCliToken(Caller caller, HttpServletRequest request) {
        if (!(request.getAttribute(TokenAuthenticationFilter.CLI_TOKEN_ATTRIBUTE)
                instanceof SignedTokens.Verified current)) {
            throw ApiException.badRequest("'current' is the CLI token this request is made with, and it was made "
                    + "without one; name the token by its id instead");
        }
        revokeCliToken(caller, current.id());
        return ResponseEntity.noContent().build();
    }

    /**
     * Revokes one of the caller's own CLI tokens by its id. Tokens are not stored, so an id that was
     * never issued is answered the same way; an id is only ever looked for among the caller's tokens.
     */
    @DeleteMapping("/api/v1/auth/cli-tokens/{id}")
    ResponseEntity<Void> revokeCliTokenById(@PathVariable String id, Caller caller) {
        if (!id.matches("[A-Za-z0-9_-]{16}")) {
            throw ApiException.badRequest("'" + LogSafe.text(id) + "' is not a CLI token id (16 characters, as issued)");
        }
        revokeCliToken(caller, id);
        return ResponseEntity.noContent().build();
    }

    private void revokeCliToken(Caller caller, String id) {
        revocations.revokeCliToken(caller.username(), id, clock.instant().plus(properties.cliTokenTtl()));
    }

    @ExceptionHandler(TooManyFailuresException.class)
    ResponseEntity<ApiErrors> throttled(TooManyFailuresException throttled) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()))
                .body(ApiErrors.of(HttpStatus.TOO_MANY_REQUESTS, "too many requests", throttled.getMessage()));
    }
}
