package dev.slipway.upload.auth;

import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/** Refused unchecked: too many failed attempts for this user or from this client; answered with 429. */
class TooManyFailuresException extends AuthenticationException {

    private final Duration retryAfter;

    TooManyFailuresException(Duration retryAfter) {
        super("too many failed attempts to authenticate; try again in " + seconds(retryAfter) + " seconds");
        this.retryAfter = retryAfter;
    }

    /** Whole seconds for a Retry-After header, at least one. */
    long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
