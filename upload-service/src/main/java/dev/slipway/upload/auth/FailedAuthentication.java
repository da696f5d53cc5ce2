package dev.slipway.upload.auth;

import dev.slipway.upload.api.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens around a failed attempt on any scheme: attempts over the limit are refused before
 * anything is checked, and each failure is counted and written to the audit log as one line of
 * {@code key=value} pairs (user names as typed, made safe for a log line; never the password).
 */
final class FailedAuthentication {

    private static final Logger audit = LoggerFactory.getLogger("dev.slipway.audit");

    private final AuthThrottle throttle;

    FailedAuthentication(AuthThrottle throttle) {
        this.throttle = throttle;
    }

    /** Throws when the user (may be null) or client is over its limit. */
    void refuseIfThrottled(String username, String client) {
        throttle.refusal(username, client).ifPresent(wait -> {
            throw new TooManyFailuresException(wait);
        });
    }

    void record(String scheme, String username, String client, String reason) {
        boolean limitReached = throttle.failed(username, client);
        audit.warn("event=authentication.failed scheme={} user=\"{}\" client={} reason={}", scheme,
                LogSafe.text(username), LogSafe.text(client), reason);
        if (limitReached) {
            audit.warn("event=authentication.throttled scheme={} user=\"{}\" client={}", scheme,
                    LogSafe.text(username), LogSafe.text(client));
        }
    }
}
