package dev.slipway.routing.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.ReservedHosts;
import dev.slipway.events.ReservedNamespaces;
import dev.slipway.routing.WantedRoutes;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The route table folded from a log whose partitions may be read in any interleaving. */
class RouteTableTest {

    private static final AppRef SITE = new AppRef("workspace", "site");
    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-24T12:00:00Z");

    @Test
    void anOlderDeployReadAfterANewerOneDoesNotTakeTheRouteBack() throws Exception {
        RouteTable table = table();
        table.apply(deployed(2, "127.0.0.1:20002"), T0.plusSeconds(10));
        table.apply(deployed(1, "127.0.0.1:20001"), T0);

        assertThat(table.endpointFor("site.localhost", "/")).contains("127.0.0.1:20002");
    }

    @Test
    void aDeletionIsNotUndoneByAnOlderDeployButANewerDeployRoutesAgain() throws Exception {
        RouteTable table = table();
        table.remove(SITE, T0.plusSeconds(5));
        table.apply(deployed(1, "127.0.0.1:20001"), T0);
        assertThat(table.endpointFor("site.localhost", "/")).isEmpty();

        table.apply(deployed(1, "127.0.0.1:20003"), T0.plusSeconds(20));
        assertThat(table.endpointFor("site.localhost", "/")).contains("127.0.0.1:20003");
    }

    @Test
    void aRedeployRefusedForARouteOfAnotherAppStillLeadsItsOwnRoutesToItsNewInstances() throws Exception {
        RouteTable table = table();
        AppRef other = new AppRef("workspace", "other");
        table.apply(new AppDeployed(UUID.randomUUID().toString(), other, null, "img:o", 1, 1, 1,
                new AppSettings(1, true, List.of("taken.example.test"), null), List.of("127.0.0.1:20009")), T0);
        table.apply(deployed(1, "127.0.0.1:20001"), T0.plusSeconds(1));

        AppDeployed greedy = new AppDeployed(UUID.randomUUID().toString(), SITE, null, "img:2", 2, 1, 1,
                new AppSettings(1, true, List.of("taken.example.test"), null), List.of("127.0.0.1:20002"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> table.apply(greedy, T0.plusSeconds(2)))
                .hasMessageContaining("route taken.example.test belongs to app workspace/other");

        // the old instances are about to go: the site's own route follows the new ones
        assertThat(table.endpointFor("site.localhost", "/")).contains("127.0.0.1:20002");
        assertThat(table.endpointFor("taken.example.test", "/")).contains("127.0.0.1:20009");
    }

    @Test
    void aPathUnderAHostOfAnotherNamespaceIsRefusedAndTheHostIsFreeOnceItsRoutesAreGone() throws Exception {
        RouteTable table = table();
        AppRef storefront = new AppRef("team-a", "storefront");
        AppRef squatter = new AppRef("team-b", "squatter");
        table.apply(custom(storefront, "127.0.0.1:20010", "shop.example.test"), T0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> table.apply(custom(squatter, "127.0.0.1:20011",
                        "shop.example.test/checkout"), T0.plusSeconds(1)))
                .hasMessageContaining("host shop.example.test belongs to another namespace")
                .hasMessageNotContaining("team-a").hasMessageNotContaining("storefront");
        assertThat(table.endpointFor("shop.example.test", "/checkout")).contains("127.0.0.1:20010");

        table.remove(storefront, T0.plusSeconds(2));
        table.apply(custom(squatter, "127.0.0.1:20011", "shop.example.test/checkout"), T0.plusSeconds(3));
        assertThat(table.endpointFor("shop.example.test", "/checkout")).contains("127.0.0.1:20011");
    }

    @Test
    void theSameAppNameInTwoNamespacesGetsItsDefaultHostOnlyOnce() throws Exception {
        RouteTable table = table();
        table.apply(deployed(1, "127.0.0.1:20001"), T0);
        AppDeployed twin = new AppDeployed(UUID.randomUUID().toString(), new AppRef("elsewhere", "site"), null,
                "img:t", 1, 1, 1, AppSettings.defaults(), List.of("127.0.0.1:20020"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> table.apply(twin, T0.plusSeconds(1)))
                .hasMessageContaining("host site.localhost belongs to another namespace")
                .hasMessageNotContaining("workspace");
        assertThat(table.endpointFor("site.localhost", "/")).contains("127.0.0.1:20001");
    }

    @Test
    void reservedHostsAreRefusedAndKeepNoEntry() {
        RouteTable table = table();
        AppRef app = new AppRef("workspace", "greedy");

        for (String host : List.of("localhost", "api.localhost", "127.0.0.1")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> table.apply(new AppDeployed(
                            UUID.randomUUID().toString(), app, null, "img", 1, 1, 1,
                            new AppSettings(1, false, List.of(host + "/x"), null), List.of("127.0.0.1:20030")),
                            T0.plusSeconds(List.of("localhost", "api.localhost", "127.0.0.1").indexOf(host))))
                    .hasMessageContaining("host " + host + " is reserved for the platform");
            assertThat(table.appAt(host, "/x")).isEmpty();
        }
    }

    private static RouteTable table() {
        return new RouteTable(new WantedRoutes("localhost", ReservedHosts.of(null, "localhost"), ReservedNamespaces.with(List.of())));
    }

    private static AppDeployed custom(AppRef app, String endpoint, String route) {
        return new AppDeployed(UUID.randomUUID().toString(), app, null, "img:" + app.name(), 1, 1, 1,
                new AppSettings(1, false, List.of(route), null), List.of(endpoint));
    }

    private static AppDeployed deployed(int revision, String endpoint) {
        return new AppDeployed(UUID.randomUUID().toString(), SITE, null, "img:" + revision, revision, 1, 1,
                new AppSettings(1, true, List.of(), null), List.of(endpoint));
    }
}
