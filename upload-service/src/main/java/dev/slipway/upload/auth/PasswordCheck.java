package dev.slipway.upload.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks a user name and password, for login and HTTP Basic alike. An unknown user costs the same
 * bcrypt as a known one (checked against a hash of the users' cost that matches no password), so
 * the time of an answer does not tell which users exist; attempts over the throttle's limit are
 * refused before any hash is computed.
 */
final class PasswordCheck {

    private static final Pattern BCRYPT_COST = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$.*");
    private static final int DEFAULT_COST = 10;

    private final SlipwayUsers users;
    private final PasswordEncoder passwords;
    private final FailedAuthentication failures;
    private final String unknownUserHash;

    PasswordCheck(SlipwayUsers users, PasswordEncoder passwords, FailedAuthentication failures,
                  List<AuthProperties.User> configured) {
        this.users = users;
        this.passwords = passwords;
        this.failures = failures;
        int cost = configured.stream().map(user -> BCRYPT_COST.matcher(user.passwordHash()))
                .filter(Matcher::matches).mapToInt(match -> Integer.parseInt(match.group(1)))
                .max().orElse(DEFAULT_COST);
        byte[] nobodysPassword = new byte[24];
        new SecureRandom().nextBytes(nobodysPassword);
        this.unknownUserHash = new BCryptPasswordEncoder(cost)
                .encode(Base64.getEncoder().encodeToString(nobodysPassword));
    }

    /**
     * The user these credentials prove, or a {@link BadCredentialsException}; a
     * {@link TooManyFailuresException} when the user or client has failed too often.
     */
    AuthProperties.User check(String scheme, String username, String password, String client) {
        failures.refuseIfThrottled(username, client);
        Optional<AuthProperties.User> user = username == null ? Optional.empty() : users.find(username);
        String hash = user.map(AuthProperties.User::passwordHash).orElse(unknownUserHash);
        boolean matches = passwords.matches(password == null ? "" : password, hash);
        if (!matches || user.isEmpty()) {
            failures.record(scheme, username, client, user.isEmpty() ? "unknown-user" : "wrong-password");
            throw new BadCredentialsException("wrong username or password");
        }
        return user.get();
    }
}
