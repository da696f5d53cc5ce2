package dev.slipway.upload.auth;

import dev.slipway.upload.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Login (a session cookie), logout, and short-lived tokens for streaming clients. */
@RestController
class AuthController {

    private static final Logger audit = LoggerFactory.getLogger("dev.slipway.audit");

    private final SlipwayUsers users;
    private final SignedTokens tokens;
    private final PasswordEncoder passwords;
    private final AuthProperties properties;

    AuthController(SlipwayUsers users, SignedTokens tokens, PasswordEncoder passwords, AuthProperties properties) {
        this.users = users;
        this.tokens = tokens;
        this.passwords = passwords;
        this.properties = properties;
    }

    record Credentials(String username, String password) {
    }

    record LoginResponse(String username, String expiresIn) {
    }

    record TokenResponse(String token) {
    }

    @PostMapping("/api/v1/login")
    ResponseEntity<LoginResponse> login(@RequestBody Credentials credentials, HttpServletRequest request) {
        boolean known = credentials.username() != null && credentials.password() != null
                && users.find(credentials.username())
                        .filter(user -> passwords.matches(credentials.password(), user.passwordHash()))
                        .isPresent();
        if (!known) {
            audit.warn("login failed for user '{}' from {}", credentials.username(), request.getRemoteAddr());
            throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", "wrong username or password");
        }
        Duration ttl = properties.sessionTtl();
        ResponseCookie cookie = ResponseCookie.from(TokenAuthenticationFilter.SESSION_COOKIE,
                        tokens.issue(SignedTokens.Kind.SESSION, credentials.username(), ttl))
                .httpOnly(true).sameSite("Strict").path("/").maxAge(ttl).secure(request.isSecure()).build();
        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie.toString())
                .body(new LoginResponse(credentials.username(), ttl.toString()));
    }

    @PostMapping("/api/v1/logout")
    ResponseEntity<Void> logout() {
        ResponseCookie expired = ResponseCookie.from(TokenAuthenticationFilter.SESSION_COOKIE, "")
                .httpOnly(true).sameSite("Strict").path("/").maxAge(0).build();
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, expired.toString()).build();
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
}
