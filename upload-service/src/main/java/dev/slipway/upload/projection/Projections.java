package dev.slipway.upload.projection;

import dev.slipway.events.spring.ConsumerParts;
import dev.slipway.events.spring.PartStatus;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.streams.StreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;

/**
 * The read models' Kafka Streams application: started and stopped with the service (a new instance
 * on each start, as a closed one cannot start again), its stores queried here, and where a key lives.
 */
class Projections implements SmartLifecycle, ConsumerParts {

    /** How long a read waits for stores that are moving (a rebalance) before answering 503. */
    private static final Duration STORE_WAIT = Duration.ofSeconds(10);
    private static final Duration STORE_RETRY = Duration.ofMillis(50);

    private static final Logger log = LoggerFactory.getLogger(Projections.class);
    private static final String PART = "read models (Kafka Streams " + ProjectionTopology.APPLICATION_ID + ")";

    private final Supplier<Topology> topology;
    private final Properties config;
    private final HostInfo self;
    private volatile KafkaStreams streams;
    private volatile boolean running;
    private volatile CatchUp catchUp;
    private final Supplier<CatchUp> catchUps;
    private final StreamsMetrics metrics;
    private volatile AutoCloseable boundMetrics;

    Projections(Supplier<Topology> topology, Properties config, Supplier<CatchUp> catchUps, StreamsMetrics metrics) {
        this.metrics = metrics;
        this.topology = topology;
        this.config = config;
        this.catchUps = catchUps;
        String server = config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        this.self = server == null || server.isBlank() ? null : HostInfo.buildFromEndpoint(server);
    }

    @Override
    public void start() {
        catchUp = catchUps.get();  // the log's end before anything is read: what "caught up" means
        KafkaStreams started = new KafkaStreams(topology.get(), config);
        started.setUncaughtExceptionHandler(failure -> {
            log.error("the read models stopped", failure);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .SHUTDOWN_CLIENT;
        });
        streams = started;
        boundMetrics = metrics.bind(started);
        started.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        KafkaStreams current = streams;
        if (current != null) {
            // leaving the group at once: the replicas left (or this one restarted) take its partitions now,
            // not after the session timeout
            current.close(new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(10)).leaveGroup(true));
        }
        StreamsMetrics.closeQuietly(boundMetrics);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server takes requests (a lower phase starts first). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.CREATED : current.state();
    }

    boolean failed() {
        KafkaStreams.State state = state();
        return running && (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN);
    }

    boolean caughtUp() {
        CatchUp current = catchUp;
        return running && state() == KafkaStreams.State.RUNNING && current != null && current.done();
    }

    @Override
    public List<PartStatus> partStatuses() {
        if (!running) {
            return List.of(PartStatus.idle(PART, "not started"));
        }
        return List.of(failed() ? PartStatus.stopped(PART, state().name()) : PartStatus.running(PART));
    }

    /** This replica's address for the others, or empty for a single replica. */
    Optional<HostInfo> self() {
        return Optional.ofNullable(self);
    }

    /** The replica holding the push when it is another one; empty when this one answers. */
    Optional<HostInfo> remoteHolder(String pushId) {
        KafkaStreams current = streams;
        if (self == null || current == null) {
            return Optional.empty();
        }
        KeyQueryMetadata where;
        try {
            where = current.queryMetadataForKey(ProjectionTopology.PUSH_STATES, pushId, Serdes.String().serializer());
        } catch (IllegalStateException notYet) {
            return Optional.empty();
        }
        if (where == null || where == KeyQueryMetadata.NOT_AVAILABLE || where.activeHost() == null
                || self.equals(where.activeHost()) || where.activeHost().port() < 0) {
            return Optional.empty();
        }
        return Optional.of(where.activeHost());
    }

    /** The other replicas holding parts of the audit trail. */
    Set<HostInfo> otherAuditHolders() {
        KafkaStreams current = streams;
        if (self == null || current == null) {
            return Set.of();
        }
        try {
            return current.streamsMetadataForStore(ProjectionTopology.AUDIT).stream()
                    .map(metadata -> metadata.hostInfo()).filter(host -> !self.equals(host))
                    .collect(Collectors.toSet());
        } catch (IllegalStateException notYet) {
            return Set.of();
        }
    }

    /** The partitions of the push-keyed stores this replica holds now. */
    Set<Integer> localPartitions() {
        KafkaStreams current = streams;
        if (current == null) {
            return Set.of();
        }
        if (current.state() != KafkaStreams.State.RUNNING && current.state() != KafkaStreams.State.REBALANCING) {
            return Set.of();
        }
        return current.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(partition -> partition.topic().endsWith(ProjectionTopology.BY_PUSH + "-repartition"))
                .map(partition -> partition.partition())
                .collect(Collectors.toSet());
    }

    /**
     * A key of a push-keyed store, if this replica holds it (the store of every local partition). While
     * the stores move between replicas or are restored (a rebalance), a read waits for them a moment and
     * then answers 503, rather than saying a push it may hold does not exist.
     */
    byte[] get(String store, String key) {
        long deadline = System.nanoTime() + STORE_WAIT.toNanos();
        while (true) {
            try {
                return query(store, null).map(found -> found.get(key)).orElse(null);
            } catch (InvalidStateStoreException moving) {
                if (System.nanoTime() > deadline || failed()) {
                    throw storesMoving(moving);
                }
                LockSupport.parkNanos(STORE_RETRY.toNanos());
            }
        }
    }

    static ApiException storesMoving(InvalidStateStoreException cause) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "pushes moving", "this replica's stores of pushes "
                + "are moving between replicas or being restored; try again shortly", cause);
    }

    Optional<ReadOnlyKeyValueStore<String, byte[]>> query(String store, Integer partition) {
        KafkaStreams current = streams;
        if (current == null) {
            return Optional.empty();
        }
        StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> parameters = StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore()).enableStaleStores();
        if (failed()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "pushes unavailable",
                    "this replica's store of pushes has stopped (" + state() + "); it is restarted, try again shortly");
        }
        try {
            return Optional.of(current.store(partition == null ? parameters : parameters.withPartition(partition)));
        } catch (InvalidStateStoreException | IllegalStateException notNow) {
            return Optional.empty();  // starting or moving between replicas
        }
    }
}
