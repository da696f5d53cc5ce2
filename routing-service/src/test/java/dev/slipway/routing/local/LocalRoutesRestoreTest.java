package dev.slipway.routing.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventJson;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.ReservedHosts;
import dev.slipway.events.ReservedNamespaces;
import dev.slipway.routing.RoutingFailure;
import dev.slipway.routing.WantedRoutes;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The fold on top of a restored table, without a broker: a replica that restores what another wrote
 * and folds the rest of the log decides exactly as the one that folded everything, and an event it
 * meets again gets the answer it got the first time.
 */
class LocalRoutesRestoreTest {

    private static final URI DEPLOY = URI.create("/slipway/deploy-service");
    private static final Duration NOW = Duration.ZERO;

    @Test
    void aReplicaRestoredMidwayDecidesEveryLaterConflictAsTheOneThatFoldedEverything() throws Exception {
        AppRef owner = new AppRef("team-a", "owner");
        AppRef rival = new AppRef("team-b", "rival");
        AppRef other = new AppRef("team-a", "other");
        List<Event<? extends EventData>> log = List.of(
                deployed(owner, "shop.example.test", "10.0.0.1:1"),
                deployed(rival, "shop.example.test/checkout", "10.0.0.2:1"),   // another namespace's host: refused
                deployed(other, "other.example.test", "10.0.0.3:1"),
                deployed(owner, "shop.example.test", "10.0.0.1:2"),           // owner redeployed
                deleted(other),
                deployed(rival, "shop.example.test/checkout", "10.0.0.2:2"),  // still refused
                deployed(other, "shop.example.test/other", "10.0.0.3:2"));   // same namespace, free path: taken

        Replica full = new Replica();
        log.forEach(full.routes::apply);

        Replica first = new Replica();
        log.subList(0, 4).forEach(first.routes::apply);
        Replica restored = new Replica();
        first.kept().forEach((key, entry) -> restored.routes.restore(entry.app(), Optional.of(entry), null));
        log.forEach(restored.routes::apply);  // the whole log is still there: the first four are reflected already

        for (String host : List.of("shop.example.test", "other.example.test")) {
            for (String path : List.of("/", "/checkout", "/other")) {
                assertThat(restored.table.appAt(host, path)).as(host + path).isEqualTo(full.table.appAt(host, path));
                assertThat(restored.table.endpointFor(host, path)).as(host + path)
                        .isEqualTo(full.table.endpointFor(host, path));
            }
        }
        assertThat(restored.table.endpointFor("shop.example.test", "/")).contains("10.0.0.1:2");
        assertThat(restored.table.appAt("shop.example.test", "/other")).contains(other);
        assertThat(restored.table.appAt("other.example.test", "/")).isEmpty();
        // the restored replica wrote only what it applied itself: the last three changes
        assertThat(restored.written).extracting(AppRoutes::lastEventId)
                .containsExactly(log.get(5).id(), log.get(6).id());
        assertThat(restored.removed).containsExactly(other);
    }

    @Test
    void aRefusedEventThatComesAgainAfterARestartIsRefusedAgain() throws Exception {
        AppRef owner = new AppRef("team-a", "owner");
        AppRef rival = new AppRef("team-b", "rival");
        Event<AppDeployed> owned = deployed(owner, "shop.example.test", "10.0.0.1:1");
        Event<AppDeployed> refused = deployed(rival, "shop.example.test/checkout", "10.0.0.2:1");
        Replica first = new Replica();
        first.routes.apply(owned);
        first.routes.apply(refused);
        assertThatThrownBy(() -> first.routes.awaitDecision(refused.id(), NOW)).isInstanceOf(RoutingFailure.class);

        Replica restarted = new Replica();
        first.kept().forEach((key, entry) -> restarted.routes.restore(entry.app(), Optional.of(entry), null));
        restarted.routes.apply(owned);
        restarted.routes.apply(refused);

        assertThat(restarted.routes.awaitDecision(owned.id(), NOW)).isNotEmpty();
        assertThatThrownBy(() -> restarted.routes.awaitDecision(refused.id(), NOW))
                .isInstanceOfSatisfying(RoutingFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
                    assertThat(failure.getMessage()).contains("belongs to another namespace");
                });
        assertThat(restarted.written).isEmpty();
    }

    @Test
    void anEntryReadBackFromItsJsonIsTheEntryWritten() throws Exception {
        Replica replica = new Replica();
        replica.routes.apply(deployed(new AppRef("workspace", "web"), "web.example.test/api", "10.0.0.9:80"));

        AppRoutes written = replica.written.get(0);

        assertThat(EventJson.mapper().readValue(EventJson.mapper().writeValueAsBytes(written), AppRoutes.class))
                .isEqualTo(written);
    }

    private static Event<AppDeployed> deployed(AppRef app, String route, String endpoint) {
        return Event.start(DEPLOY, new AppDeployed(UUID.randomUUID().toString(), app, null,
                "registry.test/" + app.name() + ":1", 1, 1, 1, new AppSettings(1, false, List.of(route), null),
                List.of(endpoint)));
    }

    private static Event<AppDeleted> deleted(AppRef app) {
        return Event.start(URI.create("/slipway/upload-service"), new AppDeleted(UUID.randomUUID().toString(), app,
                "alice"));
    }

    /** One replica's table, and what it wrote to its {@link RouteTableLog}. */
    private static final class Replica implements RouteTableLog {
        final RouteTable table = new RouteTable(new WantedRoutes("localhost", ReservedHosts.of(null, "localhost"),
                ReservedNamespaces.with(List.of())));
        final LocalRoutes routes = new LocalRoutes(table, this);
        final List<AppRoutes> written = new ArrayList<>();
        final List<AppRef> removed = new ArrayList<>();
        final Map<String, AppRoutes> last = new LinkedHashMap<>();

        @Override
        public void write(AppRoutes entry) {
            written.add(entry);
            last.put(entry.key(), entry);
        }

        @Override
        public void deleted(AppRef app, OffsetDateTime at) {
            removed.add(app);
            last.remove(app.namespace() + "/" + app.name());
        }

        /** What a compacted topic keeps of the writes: the last entry of each app. */
        Map<String, AppRoutes> kept() {
            return last;
        }
    }
}
