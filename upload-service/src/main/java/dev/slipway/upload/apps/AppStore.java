package dev.slipway.upload.apps;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.EventJson;
import dev.slipway.events.kafka.RecordChain;
import dev.slipway.events.spring.TopicFollower;
import dev.slipway.upload.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * Apps, kept in a compacted Kafka topic keyed {@code <namespace>/<app>}: the topic is the truth, and
 * every replica follows it into its own copy. A change is a compare-and-set on the topic
 * ({@link RecordChain}): the record names the record of the app it was computed from, and counts only
 * when no other record of the app came in between. The writer reads its record back through its own
 * follower: when it lost (another replica changed the app meanwhile), it redoes its edit on what won, a
 * few times, then answers 409. So every replica keeps the same apps, and what the API answered is
 * what the topic holds.
 */
public class AppStore implements AutoCloseable {

    public static final String TOPIC = dev.slipway.events.Topics.APPS;
    /** Lets a writer recognise its own record when its follower reads it back. */
    static final String WRITE_ID = "slipway-write-id";
    /**
     * How often a change is redone after losing to another replica's change before answering 409: while
     * another replica keeps writing the same app, about every second attempt loses.
     */
    static final int ATTEMPTS = 30;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A writer that lost restores within milliseconds; after this, any replica restores for it. */
    private static final Duration REPAIR_AFTER = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(AppStore.class);

    private final RecordChain<AppState> chain = new RecordChain<>(
            value -> EventJson.mapper().readValue(value, AppState.class));
    private final Map<String, CompletableFuture<Boolean>> ownWrites = new ConcurrentHashMap<>();
    private final Set<String> repairing = ConcurrentHashMap.newKeySet();
    /** One lock per app (an object per app name ever changed here: small), so no app waits on another's Kafka round trips. */
    private final Map<String, Object> appLocks = new ConcurrentHashMap<>();
    private final Producer<String, byte[]> producer;
    private final Admin admin;
    private final TopicFollower follower;
    private final ScheduledExecutorService repairs = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "app-store-repairs");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code kafkaConfig} is what this store's follower connects with; start it with {@link #follower()}. */
    public AppStore(Producer<String, byte[]> producer, Admin admin, Map<String, Object> kafkaConfig) {
        this.producer = producer;
        this.admin = admin;
        this.follower = new TopicFollower(TOPIC, kafkaConfig, this::apply, this::repairDiverged);
    }

    /** Reads the topic into this store; a lifecycle bean. */
    public TopicFollower follower() {
        return follower;
    }

    public Optional<AppState> find(AppRef app) {
        return chain.value(key(app));
    }

    /**
     * The app as stored on any replica up to now: reads the topic to its end first. For what is about
     * to be published from the app's settings (a push, a restart), which must not undo a change that
     * another request stored a moment before.
     */
    public Optional<AppState> current(AppRef app) {
        synchronized (lockOf(key(app))) {
            catchUp();
            return chain.value(key(app));
        }
    }

    public List<AppState> list(Predicate<String> namespaceVisible) {
        return chain.values()
                .filter(app -> namespaceVisible.test(app.namespace()))
                .sorted(Comparator.comparing(AppState::namespace).thenComparing(AppState::name))
                .toList();
    }

    /** Stores a new app; false when one of that name already exists. */
    public boolean create(AppState app) {
        return change(app.ref(), current -> current == null ? Decision.write(app, true) : Decision.keep(false));
    }

    /** Applies {@code change} to the stored app (again, to what won, if another replica changed it meanwhile). */
    public Optional<AppState> update(AppRef app, UnaryOperator<AppState> change) {
        return change(app, current -> {
            if (current == null) {
                return Decision.keep(Optional.empty());
            }
            AppState changed = change.apply(current);
            return Decision.write(changed, Optional.of(changed));
        });
    }

    /** Removes the app: a tombstone, so compaction forgets it. */
    public boolean delete(AppRef app) {
        return change(app, current -> current == null ? Decision.keep(false) : Decision.write(null, true));
    }

    /** Applies one record of the topic: an app, or a tombstone for a deleted one; ignored when it lost. */
    public void apply(ConsumerRecord<String, byte[]> record) {
        boolean counts = chain.apply(record);
        Header writeId = record.headers().lastHeader(WRITE_ID);
        if (writeId != null && writeId.value() != null) {
            CompletableFuture<Boolean> waiting = ownWrites.get(new String(writeId.value(), StandardCharsets.UTF_8));
            if (waiting != null) {
                waiting.complete(counts);
            }
        }
        if (!counts && follower.isCaughtUp() && chain.link(record.key()).diverged()) {
            repairLater(record.key(), REPAIR_AFTER);
        }
    }

    /** Stops restoring apps; the follower is stopped as a bean of its own. */
    @Override
    public void close() {
        repairs.shutdownNow();
    }

    /**
     * What one attempt of a change decides from the app as it is now (null: none).
     *
     * @param next   the app to store; null for a tombstone
     * @param writes false when nothing is to be written and {@code result} is the answer
     */
    private record Decision<T>(boolean writes, AppState next, T result) {

        static <T> Decision<T> write(AppState next, T result) {
            return new Decision<>(true, next, result);
        }

        static <T> Decision<T> keep(T result) {
            return new Decision<>(false, null, result);
        }
    }

    /**
     * Runs {@code work} while no other request to this replica changes the app, so what it stores and
     * what it then publishes about the app (a push, a change) stay in one order per app.
     */
    public <T> T inOrder(AppRef app, Supplier<T> work) {
        synchronized (lockOf(key(app))) {
            return work.get();
        }
    }

    private Object lockOf(String key) {
        return appLocks.computeIfAbsent(key, app -> new Object());
    }

    private <T> T change(AppRef app, Function<AppState, Decision<T>> decide) {
        String key = key(app);
        synchronized (lockOf(key)) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                if (attempt == 1) {
                    // after a loss this store has read up to its own record, past the one that won: it retries
                    // from there at once, before the winner's replica (which catches up first) writes again
                    catchUp();
                }
                RecordChain.Link<AppState> now = chain.link(key);
                Decision<T> decision = decide.apply(now.value());
                if (!decision.writes()) {
                    restoreIfDiverged(key);
                    return decision.result();
                }
                if (write(key, decision.next(), now.last())) {
                    return decision.result();
                }
                log.info("app {} changed on another replica while this one changed it; redoing the change ({}/{})",
                        app, attempt, ATTEMPTS);
                backOff(attempt);
            }
            restoreIfDiverged(key);
            throw new ApiException(HttpStatus.CONFLICT, "the app changed meanwhile", "app " + app + " kept changing "
                    + "through requests on other replicas while this one was stored; nothing of this request was "
                    + "kept. Try again", null);
        }
    }

    /**
     * Waits a few random milliseconds: two replicas that lost to each other would otherwise retry in step
     * and keep basing their records on each other's losing ones. Short, so the winner does not win again.
     */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(Math.min(attempt, 4) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while changing an app", e);
        }
    }

    /** Writes what counts again when a record that lost is the app's last: it must not outlive compaction. */
    private void restoreIfDiverged(String key) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            RecordChain.Link<AppState> now = chain.link(key);
            if (!now.diverged() || write(key, now.value(), now.last())) {
                return;
            }
        }
        log.warn("app {} still ends with a record that lost; a replica will restore it", key);
    }

    /** True when the record counts, as this store's follower (and so every replica's) reads it back. */
    private boolean write(String key, AppState state, long basedOn) {
        String writeId = UUID.randomUUID().toString();
        CompletableFuture<Boolean> verdict = new CompletableFuture<>();
        ownWrites.put(writeId, verdict);
        try {
            ProducerRecord<String, byte[]> record = RecordChain.basedOn(new ProducerRecord<>(TOPIC, key,
                    state == null ? null : EventJson.mapper().writeValueAsBytes(state)), basedOn);
            record.headers().add(WRITE_ID, writeId.getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
            return verdict.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the app store (Kafka topic " + TOPIC + ") refused the write: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw unavailable("the app store wrote " + key + " but did not read it back within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing " + key, e);
        } finally {
            ownWrites.remove(writeId);
        }
    }

    /** Reads up to the topic's end, so a change starts from every change stored before it, on any replica. */
    private void catchUp() {
        try {
            if (!follower.catchUp(admin, WAIT)) {
                throw unavailable("the app store could not read " + TOPIC + " up to its end within " + WAIT, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + TOPIC, e);
        }
    }

    /** Once caught up after a start: restores apps whose last record lost, for a writer that died meanwhile. */
    private void repairDiverged() {
        chain.diverged().forEach(key -> repairLater(key, Duration.ZERO));
    }

    private void repairLater(String key, Duration delay) {
        if (repairing.add(key)) {
            try {
                repairs.schedule(() -> repair(key), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                repairing.remove(key);
            }
        }
    }

    private void repair(String key) {
        repairing.remove(key);
        try {
            synchronized (lockOf(key)) {
                catchUp();
                restoreIfDiverged(key);
            }
        } catch (RuntimeException e) {
            log.warn("could not restore app {}: {}", key, e.getMessage(), e);
        }
    }

    private static ApiException unavailable(String details, Exception cause) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "app store unavailable", details + "; try again "
                + "shortly", cause);
    }

    private static String key(AppRef app) {
        return app.namespace() + "/" + app.name();
    }
}
