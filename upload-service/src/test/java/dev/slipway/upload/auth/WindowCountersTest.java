package dev.slipway.upload.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WindowCountersTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    @Test
    void aFloodOfNewKeysKeepsTheCountersWithinTheirCapacity() {
        WindowCounters counters = new WindowCounters(Duration.ofMinutes(5), 100, ticker);

        for (int i = 0; i < 20_000; i++) {
            counters.add("attacker-" + i);
        }

        assertThat(counters.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void aKeyIsForgottenWhenItsWindowEndsAndCountingDoesNotExtendIt() {
        WindowCounters counters = new WindowCounters(Duration.ofMinutes(5), 100, ticker);
        counters.add("alice");
        nanos.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(counters.add("alice")).isEqualTo(2);
        assertThat(counters.remaining("alice")).contains(Duration.ofMinutes(1));

        nanos.addAndGet(Duration.ofMinutes(1).toNanos());

        assertThat(counters.count("alice")).isZero();
        assertThat(counters.remaining("alice")).isEmpty();
        assertThat(counters.size()).isZero();
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        assertThat(AuthThrottle.clientKey("2001:db8:1:2:aaaa::1")).isEqualTo(AuthThrottle.clientKey("2001:db8:1:2::ffff"));
        assertThat(AuthThrottle.clientKey("2001:db8:1:3::1")).isNotEqualTo(AuthThrottle.clientKey("2001:db8:1:2::1"));
        assertThat(AuthThrottle.clientKey("203.0.113.7")).isEqualTo("203.0.113.7");
    }
}
