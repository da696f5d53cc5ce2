package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReservedHostsTest {

    @Test
    void theDefaultsKeepThePlatformsOwnHostsAndLeaveAppHostsFree() {
        ReservedHosts reserved = ReservedHosts.of(null, "apps.example.com");

        assertThat(List.of("localhost", "apps.example.com", "api.apps.example.com", "registry.apps.example.com",
                "slipway.apps.example.com", "API.Apps.Example.com")).allMatch(reserved::reserves);
        assertThat(List.of("shop.apps.example.com", "api.example.com", "localhost.example.com", "apps.example.org",
                "myapi.apps.example.com")).noneMatch(reserved::reserves);
    }

    @Test
    void addressLiteralsAreAlwaysReservedWhateverIsConfigured() {
        ReservedHosts reserved = ReservedHosts.of(List.of("only.example.com"), "localhost");

        assertThat(List.of("127.0.0.1", "10.0.0.8", "169.254.169.254", "2130706433")).allMatch(reserved::reserves);
        assertThat(reserved.reserves("localhost")).as("configured patterns replace the defaults").isFalse();
    }

    @Test
    void aWildcardTakesEveryHostBelowItButNotItself() {
        ReservedHosts reserved = ReservedHosts.of(List.of("*.internal.example.com", " registry.example.com "),
                "apps.test");

        assertThat(reserved.reserves("a.internal.example.com")).isTrue();
        assertThat(reserved.reserves("a.b.internal.example.com")).isTrue();
        assertThat(reserved.reserves("internal.example.com")).isFalse();
        assertThat(reserved.reserves("xinternal.example.com")).isFalse();
        assertThat(reserved.reserves("registry.example.com")).isTrue();
    }

    @Test
    void theDefaultRouteIsTheAppsNameOnTheSystemDomain() {
        assertThat(Route.defaultRoute("shop", "apps.test")).isEqualTo(Route.parse("shop.apps.test"));
    }
}
