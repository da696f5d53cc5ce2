package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mockingDetails;

import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.invocation.Invocation;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * Password and token guessing as an attacker tries it: many guesses for one user from rotating
 * addresses, many users from one address, forged X-Forwarded-For headers, forged tokens. The API
 * sits behind an ingress at 127.0.0.2 (a trusted proxy); 127.0.0.1 is a client that connects
 * directly. Limits here: 5 failures per user, 8 per client, in 5 minutes on a clock the test turns.
 * The service runs as in local mode.
 * The password encoder is spied on to count the bcrypt checks that actually ran.
 */
@Import(AuthThrottleApiTest.ManualClock.class)
@ExtendWith(OutputCaptureExtension.class)
class AuthThrottleApiTest extends UploadServiceTest {

    private static final String APPS = "/api/v1/namespaces/workspace/applications";
    private static final String INGRESS = "127.0.0.2";
    private static final int PER_USER = 5;
    private static final int PER_CLIENT = 8;
    private static final Duration WINDOW = Duration.ofMinutes(5);

    /** The throttle's clock, turned by the tests instead of waiting. */
    static final class ManualTicker implements Ticker {
        private final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration duration) {
            nanos.addAndGet(duration.toNanos());
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ManualClock {
        @Bean
        ManualTicker throttleTicker() {
            return new ManualTicker();
        }
    }

    @DynamicPropertySource
    static void throttleProperties(DynamicPropertyRegistry registry) {
        registry.add("slipway.auth.trusted-proxies[0]", () -> INGRESS);
        registry.add("slipway.auth.throttle.failures-per-user", () -> PER_USER);
        registry.add("slipway.auth.throttle.failures-per-client", () -> PER_CLIENT);
        registry.add("slipway.auth.throttle.window", () -> WINDOW.toString());
        // as the local launcher starts it: plain HTTP on loopback
        registry.add("slipway.runtime", () -> "local");
        // a user with the default bcrypt cost, as an operator would configure one (after the shared users)
        String victimHash = new BCryptPasswordEncoder(10).encode(PASSWORD);
        registry.add("slipway.auth.users[4].username", () -> "victim");
        registry.add("slipway.auth.users[4].password-hash", () -> victimHash);
        registry.add("slipway.auth.users[4].roles[0]", () -> "user");
    }

    @org.springframework.beans.factory.annotation.Autowired
    ManualTicker ticker;

    @MockitoSpyBean
    PasswordEncoder passwords;

    @BeforeEach
    void forgetEarlierFailures() {
        ticker.advance(WINDOW.plusMinutes(1));
        clearInvocations(passwords);
    }

    @Test
    void guessingOneUsersPasswordIs429AfterTheLimitEvenFromRotatingAddresses() {
        for (int i = 1; i <= PER_USER; i++) {
            assertThat(viaIngress("203.0.113." + i).basic("alice", "guess-" + i).get(APPS).status()).isEqualTo(401);
        }

        RawRequests.Reply throttled = viaIngress("203.0.113.99").basic("alice", "guess-99").get(APPS);
        RawRequests.Reply rightPassword = viaIngress("203.0.113.100").basic("alice", PASSWORD).get(APPS);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.json().path("errors").path(0).path("status").asInt()).isEqualTo(429);
        assertThat(throttled.error()).contains("too many failed attempts");
        assertThat(Long.parseLong(throttled.header("Retry-After").orElseThrow())).isBetween(1L, WINDOW.toSeconds());
        // locked means not checked: a right guess is not told apart from a wrong one
        assertThat(rightPassword.status()).isEqualTo(429);
        assertThat(bcryptChecks()).hasSize(PER_USER);
        // other users are not held up
        assertThat(viaIngress("203.0.113.101").basic("bob", PASSWORD).get("/api/v1/namespaces/other/applications")
                .status()).isEqualTo(200);
    }

    @Test
    void guessingAcrossUsersFromOneAddressIs429AfterTheClientLimit() {
        for (int i = 0; i < PER_CLIENT; i++) {
            assertThat(viaIngress("198.51.100.7").basic("user" + i, "guess").get(APPS).status()).isEqualTo(401);
        }

        assertThat(viaIngress("198.51.100.7").basic("alice", PASSWORD).get(APPS).status()).isEqualTo(429);
        assertThat(bcryptChecks()).hasSize(PER_CLIENT);
        assertThat(viaIngress("198.51.100.8").basic("alice", PASSWORD).get(APPS).status()).isEqualTo(200);
    }

    @Test
    void forwardedForFromAPeerThatIsNoProxyIsIgnored() {
        // a client connecting directly claims a new address on every request
        for (int i = 0; i < PER_CLIENT; i++) {
            RawRequests.Reply reply = RawRequests.from("127.0.0.1", port).header("X-Forwarded-For", "203.0.113." + i)
                    .header("Authorization", basic("nobody" + i, "guess")).get(APPS);
            assertThat(reply.status()).isEqualTo(401);
        }

        RawRequests.Reply next = RawRequests.from("127.0.0.1", port).header("X-Forwarded-For", "203.0.113.200")
                .header("Authorization", basic("nobody-else", "guess")).get(APPS);

        assertThat(next.status()).isEqualTo(429);
        // the addresses it claimed were never charged
        assertThat(viaIngress("203.0.113.1").basic("alice", PASSWORD).get(APPS).status()).isEqualTo(200);
    }

    @Test
    void behindTheIngressOnlyTheAddressItAddedCountsNotWhatTheClientPrepended() {
        for (int i = 0; i < PER_CLIENT; i++) {
            assertThat(viaIngress("10.9.8." + i + ", 198.51.100.20").basic("someone" + i, "guess").get(APPS).status())
                    .isEqualTo(401);
        }

        assertThat(viaIngress("10.9.8.200, 198.51.100.20").basic("alice", PASSWORD).get(APPS).status())
                .isEqualTo(429);
    }

    @Test
    void throttleStateExpiresWithItsWindow() {
        for (int i = 0; i <= PER_USER; i++) {
            viaIngress("192.0.2." + i).basic("alice", "guess").get(APPS);
        }
        assertThat(viaIngress("192.0.2.50").basic("alice", PASSWORD).get(APPS).status()).isEqualTo(429);

        ticker.advance(WINDOW.minusSeconds(1));
        assertThat(viaIngress("192.0.2.51").basic("alice", PASSWORD).get(APPS).status()).isEqualTo(429);
        ticker.advance(Duration.ofSeconds(2));

        assertThat(viaIngress("192.0.2.52").basic("alice", PASSWORD).get(APPS).status()).isEqualTo(200);
    }

    @Test
    void anUnknownUserCostsOneBcryptOfTheUsersCostLikeAKnownOne() {
        assertThat(viaIngress("192.0.2.10").basic("mallory", "guess").get(APPS).status()).isEqualTo(401);
        assertThat(viaIngress("192.0.2.11").basic("victim", "guess").get(APPS).status()).isEqualTo(401);
        assertThat(login("mallory", "guess").status()).isEqualTo(401);
        assertThat(login("victim", "guess").status()).isEqualTo(401);

        List<String> hashes = bcryptChecks().stream().map(check -> (String) check.getArgument(1)).toList();
        assertThat(hashes).hasSize(4);
        // the unknown user's hash has the cost of the configured users' (the highest, 10), so it takes as long
        assertThat(hashes).allMatch(hash -> hash.startsWith("$2a$10$"));
    }

    @Test
    void forgedBearerTokensAreThrottledPerClientWhileGenuineOnesPass() {
        String genuine = as("alice").get("/api/v1/authtoken").body().path("token").asString();
        String forged = genuine.substring(0, genuine.lastIndexOf('.') + 1) + "AAAA";
        for (int i = 0; i < PER_CLIENT; i++) {
            assertThat(viaIngress("192.0.2.77").bearer(forged + i).get(APPS).status()).isEqualTo(401);
        }

        RawRequests.Reply throttled = viaIngress("192.0.2.77").bearer(forged).get(APPS);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isPresent();
        // one HMAC decides a genuine token: it is not held up by the failures of its address
        assertThat(viaIngress("192.0.2.77").bearer(genuine).get(APPS).status()).isEqualTo(200);
    }

    @Test
    void theLoginFormIsThrottledAndEveryFailureAuditedOnOneSafeLine(CapturedOutput output) {
        String forgedLine = "eve\\nevent=authentication.succeeded user=\\\"admin\\\"";
        for (int i = 0; i < PER_USER; i++) {
            assertThat(login(forgedLine, "guess").status()).isEqualTo(401);
        }

        RawRequests.Reply throttled = login(forgedLine, "guess");

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isPresent();
        assertThat(throttled.header("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(output.getOut()).contains("event=authentication.failed scheme=login "
                + "user=\"eve?event=authentication.succeeded user=\"admin\"\" client=127.0.0.1 reason=unknown-user");
        assertThat(output.getOut()).contains("event=authentication.throttled scheme=login");
        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith("event=authentication.succeeded"));
        assertThat(output.getOut()).doesNotContain("guess");
    }

    @Test
    void inLocalModeTheCookieIsNotSecureAsItsApiIsPlainHttp() {
        RawRequests.Reply login = login("alice", PASSWORD);

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.header("Set-Cookie").orElseThrow()).contains("; HttpOnly", "; SameSite=Strict")
                .doesNotContain("Secure");
    }

    /**
     * Not a limit but a measurement: what 1000 wrong passwords for one user from 1000 addresses cost.
     * Run alone: ./mvnw -o -B -pl upload-service -am test -Dtest='AuthThrottleApiTest#thousand*'
     * -Dsurefire.failIfNoSpecifiedTests=false
     */
    @Test
    void thousandWrongPasswordsForOneUserFromRotatingAddressesAreMostlyRefusedUnchecked() {
        int unauthorized = 0;
        int throttled = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            int status = viaIngress("100.64." + (i / 250) + "." + (i % 250 + 1)).basic("victim", "guess-" + i)
                    .get(APPS).status();
            unauthorized += status == 401 ? 1 : 0;
            throttled += status == 429 ? 1 : 0;
        }
        long wallMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        int checked = bcryptChecks().size();
        BCryptPasswordEncoder cost10 = new BCryptPasswordEncoder(10);
        String hash = cost10.encode("x");
        long checking = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            cost10.matches("guess", hash);
        }
        long oneCheckMillis = Duration.ofNanos(System.nanoTime() - checking).toMillis() / 3;

        System.out.printf("throttle: 1000 wrong passwords for one user from 1000 addresses: %d checked by bcrypt, "
                        + "%d answered 401, %d answered 429, %d ms wall time; unthrottled, ~%d ms of bcrypt "
                        + "(one check of cost 10: %d ms)%n", checked, unauthorized, throttled, wallMillis,
                1000 * oneCheckMillis, oneCheckMillis);
        assertThat(checked).isEqualTo(PER_USER);
        assertThat(unauthorized).isEqualTo(PER_USER);
        assertThat(throttled).isEqualTo(1000 - PER_USER);
    }

    private List<Invocation> bcryptChecks() {
        List<Invocation> checks = new ArrayList<>();
        for (Invocation invocation : mockingDetails(passwords).getInvocations()) {
            if (invocation.getMethod().getName().equals("matches")) {
                checks.add(invocation);
            }
        }
        return checks;
    }

    private Client viaIngress(String forwardedFor) {
        return new Client(RawRequests.from(INGRESS, port).header("X-Forwarded-For", forwardedFor));
    }

    private RawRequests.Reply login(String username, String password) {
        return RawRequests.from("127.0.0.1", port).header("Content-Type", "application/json")
                .send("POST", "/api/v1/login", "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A request through the ingress with one kind of credentials. */
    private record Client(RawRequests request) {
        RawRequests basic(String user, String password) {
            return request.header("Authorization", AuthThrottleApiTest.basic(user, password));
        }

        RawRequests bearer(String token) {
            return request.header("Authorization", "Bearer " + token);
        }
    }
}
