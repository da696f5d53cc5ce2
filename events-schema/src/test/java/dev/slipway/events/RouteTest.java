package dev.slipway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void typedRoutesLoseSchemeCaseAndTrailingSlashes() {
        assertThat(Route.parse("https://Shop.Example.com/API/")).isEqualTo(new Route("shop.example.com", "/API"));
        assertThat(Route.parse("shop.example.com").toString()).isEqualTo("shop.example.com");
        assertThat(Route.parse("shop.example.com/").pathPrefix()).isEqualTo("/");
        assertThat(Route.parse("shop.example.com/v1/api").pathPrefix()).isEqualTo("/v1/api");
    }

    @Test
    void urlsCarryTheSchemeAndAnyPort() {
        assertThat(Route.parse("a.example.com/x").url(true, 0)).isEqualTo("https://a.example.com/x");
        assertThat(Route.parse("a.localhost").url(false, 8888)).isEqualTo("http://a.localhost:8888");
    }

    @Test
    void anythingButHostAndPathIsRefusedWithTheRouteNamed() {
        for (String bad : new String[] {"", "-a.com", "a..com", "a_b.com", "a.com/a b", "a.com?x=1", "*.a.com",
                "a".repeat(64) + ".com"}) {
            assertThatThrownBy(() -> Route.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("route '" + bad + "'");
        }
    }
}
