package dev.slipway.upload.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Slows down password and token guessing on every scheme. Failures are counted per user named
 * (from any address, so rotating addresses does not help) and per client address (whatever users
 * it names); past either limit, attempts are refused without being checked until the window that
 * began with the first failure ends. Successes do not reset the counts: an attacker could
 * otherwise interleave guesses with the victim's own requests.
 */
final class AuthThrottle {

    private final AuthProperties.Throttle settings;
    private final WindowCounters users;
    private final WindowCounters clients;

    AuthThrottle(AuthProperties.Throttle settings, Ticker ticker) {
        this.settings = settings;
        this.users = new WindowCounters(settings.window(), settings.capacity(), ticker);
        this.clients = new WindowCounters(settings.window(), settings.capacity(), ticker);
    }

    /** How long the caller must wait when the user (may be null) or the client is over its limit. */
    Optional<Duration> refusal(String username, String client) {
        Stream<Optional<Duration>> over = Stream.of(
                username != null && users.count(username) >= settings.failuresPerUser()
                        ? users.remaining(username) : Optional.<Duration>empty(),
                clients.count(clientKey(client)) >= settings.failuresPerClient()
                        ? clients.remaining(clientKey(client)) : Optional.<Duration>empty());
        return over.flatMap(Optional::stream).max(Duration::compareTo);
    }

    /** Counts a failure; true when it is the one that reaches a limit. */
    boolean failed(String username, String client) {
        boolean userLimitReached = username != null && users.add(username) == settings.failuresPerUser();
        boolean clientLimitReached = clients.add(clientKey(client)) == settings.failuresPerClient();
        return userLimitReached || clientLimitReached;
    }

    /** An IPv6 client is counted by its /64, the block one subscriber gets: rotating within it does not help. */
    static String clientKey(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return String.valueOf(address);
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(bytes, 8), 16)).getHostAddress() + "/64";
        } catch (UnknownHostException | IllegalArgumentException notALiteral) {
            return address;
        }
    }
}
