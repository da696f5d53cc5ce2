package dev.slipway.upload.auth;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Users and token settings ({@code slipway.auth.*}).
 *
 * @param users            who may call the API
 * @param tokenKey         HMAC key for tokens and session cookies, at least 32 characters; the same on
 *                         every replica so their tokens work everywhere and survive restarts
 * @param tokenTtl         lifetime of a token from {@code /authtoken} when the caller asks for none
 * @param tokenMaxTtl      longest lifetime a caller may ask for
 * @param sessionTtl       lifetime of the session cookie from {@code /login}
 * @param cliTokenTtl      lifetime of a CLI token from {@code POST /api/v1/auth/cli-tokens}
 * @param loginsPerMinute  login and token requests allowed per client address and minute
 * @param trustedProxies   addresses or CIDR ranges of the proxies in front of the API; only a request
 *                         from one of them has its {@code X-Forwarded-For} believed
 * @param throttle         how failed authentication is slowed down
 */
@ConfigurationProperties("slipway.auth")
public record AuthProperties(@DefaultValue List<User> users, String tokenKey,
                             @DefaultValue("30s") Duration tokenTtl, @DefaultValue("5m") Duration tokenMaxTtl,
                             @DefaultValue("8h") Duration sessionTtl, @DefaultValue("90d") Duration cliTokenTtl,
                             @DefaultValue("20") int loginsPerMinute,
                             @DefaultValue List<String> trustedProxies, @DefaultValue Throttle throttle) {

    /**
     * A user. Roles are {@code admin} or {@code user}, optionally for one namespace
     * ({@code admin:workspace}); a user sees the namespaces listed and those of scoped roles.
     *
     * @param passwordHash a bcrypt hash ({@code $2a$...}), never the password
     */
    public record User(String username, String passwordHash, @DefaultValue List<String> roles,
                       @DefaultValue List<String> namespaces) {

        @Override
        public String toString() {
            return "User[" + username + ", roles=" + roles + ", namespaces=" + namespaces + "]";
        }
    }

    /**
     * Failed authentication allowed before further attempts are refused with 429 until the window
     * that began with the first failure ends.
     *
     * @param failuresPerUser   failures naming one user, from any address
     * @param failuresPerClient failures from one client address, whatever user they name
     * @param window            how long failures are remembered
     * @param capacity          most users and addresses remembered at once; the least used are forgotten first
     */
    public record Throttle(@DefaultValue("10") int failuresPerUser, @DefaultValue("30") int failuresPerClient,
                           @DefaultValue("5m") Duration window, @DefaultValue("100000") int capacity) {
    }

    @Override
    public String toString() {
        return "AuthProperties[users=" + users + ", tokenTtl=" + tokenTtl + ", sessionTtl=" + sessionTtl + ", cliTokenTtl=" + cliTokenTtl
                + ", trustedProxies=" + trustedProxies + ", throttle=" + throttle + "]";
    }
}
