package dev.slipway.routing.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppDeleted;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.RoutesFailed;
import dev.slipway.events.Topics;
import dev.slipway.events.spring.StateTopicHealthIndicator;
import dev.slipway.routing.RoutingServiceApplication;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.kafka.TopicReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The local route table across restarts of routing-service on a real broker, with events of the log
 * removed the way retention removes them (the log's start offset moves past them): what the table
 * decided is restored from {@code slipway.routes}, what the log still has is not applied twice.
 */
@EmbeddedKafka(partitions = RouteTableRestartTest.PARTITIONS, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteTableRestartTest {

    static final int PARTITIONS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final URI DEPLOY = URI.create("/slipway/deploy-service");

    private EmbeddedKafkaBroker broker;
    private EventLog log;
    private Admin admin;

    @BeforeAll
    void open(EmbeddedKafkaBroker broker) {
        this.broker = broker;
        log = new EventLog(broker.getBrokersAsString());
        admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
    }

    @AfterAll
    void close() {
        log.close();
        admin.close();
    }

    @Test
    void routesOutliveTheEventsThatMadeThemAndStillDecideConflicts() throws Exception {
        AppRef web = app("web");
        AppRef shop = app("shop");
        String shopHost = shop.name() + ".example.test";
        try (ConfigurableApplicationContext routing = start()) {
            deploy(web, true, List.of(), "127.0.0.1:1001", "127.0.0.1:1002");
            deploy(shop, false, List.of(shopHost), "127.0.0.1:2001");
            await().atMost(TIMEOUT).until(() -> table(routing).appAt(shopHost, "/").isPresent()
                    && table(routing).appAt(web.name() + ".localhost", "/").isPresent());
        }

        expire(partition -> true);

        try (ConfigurableApplicationContext routing = start()) {
            RouteTable table = table(routing);
            await().atMost(TIMEOUT).until(() -> table.appAt(shopHost, "/anything").isPresent());
            assertThat(table.appAt(web.name() + ".localhost", "/")).contains(web);
            assertThat(List.of(table.endpointFor(web.name() + ".localhost", "/").orElseThrow(),
                    table.endpointFor(web.name() + ".localhost", "/").orElseThrow()))
                    .containsExactlyInAnyOrder("127.0.0.1:1001", "127.0.0.1:1002");
            assertThat(table.endpointFor(shopHost, "/")).contains("127.0.0.1:2001");
            Health health = routing.getBean("routeTableHealthIndicator", StateTopicHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat((Integer) health.getDetails().get("restoredRecords")).isGreaterThanOrEqualTo(2);

            // the restored owner still holds its host against a newcomer
            Event<AppDeployed> intruder = deploy(app("intruder"), false, List.of(shopHost), "127.0.0.1:3001");
            RoutesFailed refused = (RoutesFailed) log.awaitEvent(intruder.correlationId(), EventType.ROUTES_FAILED,
                    TIMEOUT).data();
            assertThat(refused.failure().reason()).isEqualTo(ReasonCodes.ROUTE_CONFLICT);
            assertThat(table.endpointFor(shopHost, "/")).contains("127.0.0.1:2001");
        }
    }

    @Test
    void anOlderDeployStillInTheLogDoesNotTakeBackTheRoutesOfANewerOneThatExpired() throws Exception {
        AppRef app = app("versions");
        String host = app.name() + ".localhost";
        String[] blobs = blobsInDifferentPartitions();
        try (ConfigurableApplicationContext routing = start()) {
            deploy(blobs[0], app, "127.0.0.1:4001");
            await().atMost(TIMEOUT).until(() -> table(routing).endpointFor(host, "/").equals(Optional.of("127.0.0.1:4001")));
            deploy(blobs[1], app, "127.0.0.1:4002");
            await().atMost(TIMEOUT).until(() -> table(routing).endpointFor(host, "/").equals(Optional.of("127.0.0.1:4002")));
        }

        expire(partition -> partition == partitionOf(blobs[1]));  // the newer deploy is gone, the older one stays

        try (ConfigurableApplicationContext routing = start()) {
            awaitFolded(routing);
            assertThat(table(routing).endpointFor(host, "/")).contains("127.0.0.1:4002");
        }
    }

    @Test
    void aDeletedAppsRoutesDoNotComeBackAfterARestartEvenWhenOnlyItsDeployIsStillInTheLog() throws Exception {
        AppRef app = app("deleted");
        String host = app.name() + ".localhost";
        String[] blobs = blobsInDifferentPartitions();
        try (ConfigurableApplicationContext routing = start()) {
            deploy(blobs[0], app, "127.0.0.1:5001");
            await().atMost(TIMEOUT).until(() -> table(routing).appAt(host, "/").isPresent());
            log.publish(Event.start(URI.create("/slipway/upload-service"), new AppDeleted(blobs[1], app, "alice")));
            await().atMost(TIMEOUT).until(() -> table(routing).appAt(host, "/").isEmpty());
        }
        try (TopicReader routes = new TopicReader(broker.getBrokersAsString(), Topics.ROUTES)) {
            ConsumerRecord<String, byte[]> tombstone = routes.await(record -> record.key().equals(app.toString())
                    && record.value() == null, TIMEOUT);
            assertThat(tombstone).isNotNull();
        }

        expire(partition -> partition == partitionOf(blobs[1]));  // the deletion is gone, the deploy stays

        try (ConfigurableApplicationContext routing = start()) {
            awaitFolded(routing);
            assertThat(table(routing).appAt(host, "/")).isEmpty();
        }
    }

    @Test
    void aStopWhileTheTableIsBeingWrittenLosesNoRoute() throws Exception {
        List<AppRef> apps = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            apps.add(app("many" + i));
        }
        try (ConfigurableApplicationContext routing = start()) {
            for (AppRef app : apps) {
                deploy(app, true, List.of(), "127.0.0.1:6001");
            }
            // stopped at once: part of the fold, and of its writes to slipway.routes, is still under way
        }
        try (ConfigurableApplicationContext routing = start()) {
            await().atMost(TIMEOUT).until(() -> apps.stream().allMatch(app ->
                    table(routing).appAt(app.name() + ".localhost", "/").isPresent()));
        }

        expire(partition -> true);

        try (ConfigurableApplicationContext routing = start()) {
            awaitFolded(routing);
            assertThat(apps).allSatisfy(app -> assertThat(table(routing).endpointFor(app.name() + ".localhost", "/"))
                    .as(app.toString()).contains("127.0.0.1:6001"));
        }
    }

    @Test
    void theHealthSaysSoWhileTheRouteTopicCannotBeRead() throws Exception {
        Map<String, Object> unreachable = new HashMap<>(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + FreePorts.next(),
                "default.api.timeout.ms", 2000, "request.timeout.ms", 1000));
        RouteTable table = new RouteTable(new dev.slipway.routing.WantedRoutes("localhost",
                dev.slipway.events.ReservedHosts.of(null, "localhost"),
                dev.slipway.events.ReservedNamespaces.with(List.of())));
        List<AppRoutes> written = new ArrayList<>();
        LocalRoutes routes = new LocalRoutes(table, new RouteTableLog() {
            @Override
            public void write(AppRoutes entry) {
                written.add(entry);
            }

            @Override
            public void deleted(AppRef app, java.time.OffsetDateTime at) {
            }
        });
        RouteTableFollowers followers = new RouteTableFollowers(routes, unreachable);
        StateTopicHealthIndicator health = new StateTopicHealthIndicator(Topics.ROUTES, followers::restoreDone, Map::of);
        followers.start();
        try {
            Health down = health.health(true);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) down.getDetails().get("state")).contains("not read yet", Topics.ROUTES);
            // nothing is folded (or written) against a table that was not restored
            assertThat(followers.partStatuses()).anySatisfy(part -> assertThat(part.detail())
                    .isEqualTo("waiting for " + Topics.ROUTES));
            assertThat(followers.caughtUp()).isFalse();
            assertThat(written).isEmpty();
        } finally {
            followers.stop();
        }
    }

    private ConfigurableApplicationContext start() {
        return RoutingServiceApplication.application().run("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(), "--slipway.runtime=local",
                "--slipway.local.router.port=0", "--spring.main.banner-mode=off",
                "--spring.cloud.stream.kafka.binder.consumer-properties.auto.offset.reset=earliest");
    }

    private static RouteTable table(ConfigurableApplicationContext routing) {
        return routing.getBean(RouteTable.class);
    }

    private static void awaitFolded(ConfigurableApplicationContext routing) {
        await().atMost(TIMEOUT).until(() -> routing.getBean(RouteTableFollowers.class).caughtUp());
    }

    /** Moves the log's start past every event of the chosen partitions, as retention does to old segments. */
    private void expire(IntPredicate partitions) throws Exception {
        Map<TopicPartition, RecordsToDelete> before = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            if (partitions.test(partition)) {
                latest.put(new TopicPartition(Topics.EVENTS, partition), OffsetSpec.latest());
            }
        }
        admin.listOffsets(latest).all().get().forEach((partition, end) ->
                before.put(partition, RecordsToDelete.beforeOffset(end.offset())));
        admin.deleteRecords(before).all().get();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        latest.keySet().forEach(partition -> earliest.put(partition, OffsetSpec.earliest()));
        admin.listOffsets(earliest).all().get().forEach((partition, start) ->
                assertThat(start.offset()).as("start of %s", partition)
                        .isEqualTo(before.get(partition).beforeOffset()));
    }

    private Event<AppDeployed> deploy(AppRef app, boolean defaultRoute, List<String> routes, String... endpoints) {
        return deploy(UUID.randomUUID().toString(), app, defaultRoute, routes, endpoints);
    }

    private Event<AppDeployed> deploy(String blobUid, AppRef app, String endpoint) {
        return deploy(blobUid, app, true, List.of(), endpoint);
    }

    private Event<AppDeployed> deploy(String blobUid, AppRef app, boolean defaultRoute, List<String> routes,
                                      String... endpoints) {
        return log.publish(Event.start(DEPLOY, new AppDeployed(blobUid, app, null,
                "registry.test/" + app.name() + ":1", 1, endpoints.length, endpoints.length,
                new AppSettings(endpoints.length, defaultRoute, routes, null), List.of(endpoints))));
    }

    /** Two blob uids whose events land in different partitions of the log. */
    private static String[] blobsInDifferentPartitions() {
        String first = UUID.randomUUID().toString();
        String second;
        do {
            second = UUID.randomUUID().toString();
        } while (partitionOf(second) == partitionOf(first));
        return new String[] {first, second};
    }

    /** The producer's default partitioner for a keyed record. */
    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static AppRef app(String name) {
        return new AppRef("workspace", name + "-" + UUID.randomUUID().toString().substring(0, 6));
    }
}
