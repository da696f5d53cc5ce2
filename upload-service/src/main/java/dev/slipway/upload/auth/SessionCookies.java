package dev.slipway.upload.auth;

import java.time.Duration;
import org.springframework.http.ResponseCookie;

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict, and Secure everywhere but
 * local mode, whose API is plain HTTP on loopback. A cookie set over HTTPS but not marked Secure
 * would also be sent over plain HTTP to the same host, where anyone on the path can read it.
 */
final class SessionCookies {

    static final String NAME = "slipway_session";

    private final boolean secure;

    SessionCookies(boolean secure) {
        this.secure = secure;
    }

    String issue(String value, Duration ttl) {
        return cookie(value, ttl).toString();
    }

    String expired() {
        return cookie("", Duration.ZERO).toString();
    }

    private ResponseCookie cookie(String value, Duration ttl) {
        return ResponseCookie.from(NAME, value).httpOnly(true).secure(secure).sameSite("Strict").path("/")
                .maxAge(ttl).build();
    }
}
