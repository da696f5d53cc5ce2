package dev.slipway.upload.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.EventJson;
import dev.slipway.events.kafka.RecordChain;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Two replicas of the API, each following {@code slipway.apps} into its own copy, change one app at the
 * same time: no change is lost, no configuration version is used twice, and every replica (and one that
 * starts later) ends with the same app.
 */
@EmbeddedKafka(partitions = 1, topics = AppStore.TOPIC)
class AppStoreReplicasTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<AppStore> stores = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        stores.forEach(store -> {
            store.close();
            store.follower().stop();
        });
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    void concurrentEnvChangesOnTwoReplicasAreAllKeptAndNoVersionIsUsedTwice(EmbeddedKafkaBroker broker)
            throws Exception {
        AppStore first = store(broker);
        AppStore second = store(broker);
        AppRef app = new AppRef("race", "busy");
        assertThat(first.create(app("race", "busy", Map.of(), 0))).isTrue();
        await().atMost(TIMEOUT).until(() -> second.find(app).isPresent());

        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<Optional<AppState>>> changes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            for (AppStore store : List.of(first, second)) {
                String name = (store == first ? "FIRST_" : "SECOND_") + i;
                changes.add(threads.submit(() -> store.update(app, current -> withEnv(current, name, "v"))));
            }
        }
        List<Integer> versions = new ArrayList<>();
        for (Future<Optional<AppState>> change : changes) {
            versions.add(change.get(60, TimeUnit.SECONDS).orElseThrow().configVersion());
        }
        threads.shutdown();

        // every change answered with a version of its own: 1..100, none twice
        assertThat(versions).doesNotHaveDuplicates().hasSize(100).allMatch(version -> version >= 1 && version <= 100);
        AppState kept = first.find(app).orElseThrow();
        assertThat(kept.configVersion()).isEqualTo(100);
        assertThat(kept.sealedEnv()).hasSize(100).containsKeys("FIRST_0", "FIRST_49", "SECOND_0", "SECOND_49");
        await().atMost(TIMEOUT).until(() -> second.find(app), Optional.of(kept)::equals);
        AppStore restarted = store(broker);
        await().atMost(TIMEOUT).until(() -> restarted.find(app), Optional.of(kept)::equals);
    }

    @Test
    void whatIsPublishedFromAnAppsSettingsSeesAChangeStoredOnAnotherReplicaJustBefore(EmbeddedKafkaBroker broker)
            throws Exception {
        AppStore first = store(broker);
        AppStore second = store(broker);
        AppRef app = new AppRef("race", "pushed");
        assertThat(first.create(app("race", "pushed", Map.of(), 0))).isTrue();

        // a push or restart on the second replica right after each env change on the first: its settings
        // carry the version just stored, however little the second replica's follower has read yet
        for (int i = 1; i <= 30; i++) {
            String name = "V" + i;
            int stored = first.update(app, current -> withEnv(current, name, "v")).orElseThrow().configVersion();

            assertThat(second.current(app).orElseThrow().configVersion()).as("change %d", i).isEqualTo(stored);
        }
    }

    @Test
    void anAppHeldInOrderDelaysNoOtherApp(EmbeddedKafkaBroker broker) throws Exception {
        AppStore store = store(broker);
        AppRef busy = new AppRef("race", "held");
        // a name whose key would have shared the busy app's lock in a table of 64
        String other = java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> "other-" + i)
                .filter(name -> Math.floorMod(("race/" + name).hashCode(), 64) == Math.floorMod("race/held".hashCode(), 64))
                .findFirst().orElseThrow();
        AppRef free = new AppRef("race", other);
        assertThat(store.create(app("race", other, Map.of(), 0))).isTrue();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        thread.submit(() -> store.inOrder(busy, () -> {
            holding.countDown();
            hold(release);
            return null;
        }));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

        ExecutorService another = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<AppState>> change = another.submit(() -> store.update(free,
                    current -> withEnv(current, "FREE", "1")));
            assertThat(change.get(10, TimeUnit.SECONDS).orElseThrow().sealedEnv()).containsKey("FREE");
        } finally {
            release.countDown();
            thread.shutdown();
            another.shutdown();
        }
    }

    @Test
    void aChangeThatLostToAnotherReplicaIsRedoneOnWhatWon(EmbeddedKafkaBroker broker) throws Exception {
        AppStore first = store(broker);
        AppStore second = store(broker);
        AppRef app = new AppRef("race", "slow");
        assertThat(first.create(app("race", "slow", Map.of("KEPT", "v"), 1))).isTrue();
        await().atMost(TIMEOUT).until(() -> second.find(app).isPresent());

        // the first replica computes its change from version 1 and is held there while the second stores version 2
        CountDownLatch computed = new CountDownLatch(1);
        CountDownLatch overtaken = new CountDownLatch(1);
        AtomicInteger edits = new AtomicInteger();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<Optional<AppState>> slow = thread.submit(() -> first.update(app, current -> {
            if (edits.incrementAndGet() == 1) {
                computed.countDown();
                hold(overtaken);
            }
            return withEnv(current, "X", "1");
        }));
        assertThat(computed.await(30, TimeUnit.SECONDS)).isTrue();
        AppState routed = second.update(app, current -> new AppState(current.namespace(), current.name(),
                current.owner(), current.createdAt(), current.instances(), current.defaultRoute(), List.of("r.example"),
                current.sealedEnv(), current.configVersion(), null, null, null, null)).orElseThrow();
        assertThat(routed.configVersion()).isEqualTo(1);
        overtaken.countDown();

        AppState changed = slow.get(30, TimeUnit.SECONDS).orElseThrow();
        thread.shutdown();
        assertThat(edits).hasValue(2);
        assertThat(changed.routes()).containsExactly("r.example");
        assertThat(changed.sealedEnv()).containsOnlyKeys("KEPT", "X");
        assertThat(changed.configVersion()).isEqualTo(2);
        await().atMost(TIMEOUT).until(() -> second.find(app), Optional.of(changed)::equals);
    }

    @Test
    void twoCreatesOfOneAppOnTwoReplicasCreateItOnce(EmbeddedKafkaBroker broker) throws Exception {
        AppStore first = store(broker);
        AppStore second = store(broker);
        AppState mine = app("race", "twice", Map.of("WHO", "first"), 1);
        AppState theirs = app("race", "twice", Map.of("WHO", "second"), 1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        Future<Boolean> firstCreated = threads.submit(() -> first.create(mine));
        Future<Boolean> secondCreated = threads.submit(() -> second.create(theirs));
        boolean firstWon = firstCreated.get(30, TimeUnit.SECONDS);
        assertThat(secondCreated.get(30, TimeUnit.SECONDS)).isNotEqualTo(firstWon);
        threads.shutdown();

        AppState winner = firstWon ? mine : theirs;
        for (AppStore store : List.of(first, second, store(broker))) {
            await().atMost(TIMEOUT).until(() -> store.find(winner.ref()), Optional.of(winner)::equals);
        }
    }

    @Test
    void aRecordWrittenFromAStaleCopyIsIgnoredByEveryReplica(EmbeddedKafkaBroker broker) throws Exception {
        AppStore running = store(broker);
        Producer<String, byte[]> writer = producer(broker);
        String key = "race/stale";
        long created = send(writer, key, app("race", "stale", Map.of("A", "1"), 1), -1);
        long changed = send(writer, key, app("race", "stale", Map.of("A", "1", "B", "2"), 2), created);
        // written by a replica that had not seen version 2 yet, and a base no writer could have read
        send(writer, key, app("race", "stale", Map.of("A", "1", "C", "3"), 2), created);
        ProducerRecord<String, byte[]> forged = new ProducerRecord<>(AppStore.TOPIC, key,
                EventJson.mapper().writeValueAsBytes(app("race", "stale", Map.of("EVIL", "1"), 9)));
        forged.headers().add(RecordChain.BASED_ON, "latest".getBytes());
        writer.send(forged).get();

        AppState expected = app("race", "stale", Map.of("A", "1", "B", "2"), 2);
        for (AppStore store : List.of(running, store(broker))) {
            await().atMost(TIMEOUT).until(() -> store.find(expected.ref()), Optional.of(expected)::equals);
        }
        // and the next change builds on what counts, not on the last record
        AppState next = running.update(expected.ref(), current -> withEnv(current, "D", "4")).orElseThrow();
        assertThat(next.sealedEnv()).containsOnlyKeys("A", "B", "D");
        assertThat(changed).isGreaterThan(created);
    }

    @Test
    void appsWrittenBeforeRecordsNamedTheirBaseAreReadAndChanged(EmbeddedKafkaBroker broker) throws Exception {
        Producer<String, byte[]> old = producer(broker);
        AppState written = app("race", "old", Map.of("A", "1"), 1);
        old.send(new ProducerRecord<>(AppStore.TOPIC, "race/old", EventJson.mapper().writeValueAsBytes(written)))
                .get();
        AppStore store = store(broker);
        await().atMost(TIMEOUT).until(() -> store.find(written.ref()), Optional.of(written)::equals);

        AppState changed = store.update(written.ref(), current -> withEnv(current, "B", "2")).orElseThrow();
        assertThat(changed.configVersion()).isEqualTo(2);
        await().atMost(TIMEOUT).until(() -> store(broker).find(written.ref()), Optional.of(changed)::equals);
        assertThat(store.delete(written.ref())).isTrue();
        assertThat(store.find(written.ref())).isEmpty();
        assertThat(store.create(written)).isTrue();
    }

    private AppStore store(EmbeddedKafkaBroker broker) throws InterruptedException {
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
        opened.add(admin);
        AppStore store = new AppStore(producer(broker), admin,
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()));
        stores.add(store);
        store.follower().start();
        assertThat(store.follower().awaitCaughtUp(TIMEOUT)).isTrue();
        return store;
    }

    private Producer<String, byte[]> producer(EmbeddedKafkaBroker broker) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
        opened.add(producer);
        return producer;
    }

    private static long send(Producer<String, byte[]> producer, String key, AppState app, long basedOn)
            throws Exception {
        RecordMetadata written = producer.send(RecordChain.basedOn(new ProducerRecord<>(AppStore.TOPIC, key,
                EventJson.mapper().writeValueAsBytes(app)), basedOn)).get();
        return written.offset();
    }

    private static AppState app(String namespace, String name, Map<String, String> env, int version) {
        return new AppState(namespace, name, "owner", Instant.parse("2026-01-01T00:00:00Z"), 1, true, List.of(), env,
                version, null, null, null, null);
    }

    private static AppState withEnv(AppState app, String name, String value) {
        Map<String, String> env = new HashMap<>(app.sealedEnv());
        env.put(name, value);
        return new AppState(app.namespace(), app.name(), app.owner(), app.createdAt(), app.instances(),
                app.defaultRoute(), app.routes(), env, app.configVersion() + 1, app.builderImage(), app.lastBlobUid(),
                app.lastStageId(), app.memoryMb());
    }

    private static void hold(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
