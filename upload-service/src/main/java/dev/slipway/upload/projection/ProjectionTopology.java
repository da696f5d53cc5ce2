package dev.slipway.upload.projection;

import dev.slipway.events.Topics;
import dev.slipway.upload.status.PushState;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * upload-service's read models as one Kafka Streams topology:
 * <pre>
 * slipway.events (by blob) -> by push id -> PushFold [push-states, push-events, audit] -> slipway.pushes
 *                                                   \-> by app -> AppFold [app-pushes-fold] -> slipway.upload.app-pushes
 * slipway.upload.app-pushes -> global store app-pushes (every replica holds every app's summary)
 * </pre>
 */
final class ProjectionTopology {

    static final String APPLICATION_ID = "slipway-upload-projections";
    static final String PUSH_STATES = "push-states";
    static final String PUSH_EVENTS = "push-events";
    static final String AUDIT = "audit";
    static final String APP_FOLD = "app-pushes-fold";
    static final String APP_PUSHES = "app-pushes";
    /** The summaries of each app's pushes, compacted; upload-service's own. */
    static final String APP_PUSHES_TOPIC = "slipway.upload.app-pushes";
    static final String BY_PUSH = "events-by-push";

    private ProjectionTopology() {
    }

    /**
     * {@code retention}: the event log's, or null when it keeps events forever; {@code ended} hears of each
     * push that newly reached its end (online, failed, superseded), once per event applied.
     */
    static Topology build(Duration retention, Duration expiryInterval, Consumer<PushState> ended) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(store(PUSH_STATES, Map.of()));
        Map<String, String> expiring = new HashMap<>();
        if (retention != null) {
            // the changelogs forget what the log forgets: compacted (a push's latest entry) and deleted by age
            expiring.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);
            expiring.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        builder.addStateStore(store(PUSH_EVENTS, expiring));
        builder.addStateStore(store(AUDIT, expiring));
        builder.addStateStore(store(APP_FOLD, Map.of()));

        KStream<String, byte[]> states = builder.stream(Topics.EVENTS, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(ByPush::new)
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName(BY_PUSH))
                .process(() -> new PushFold(retention, expiryInterval, ended), PUSH_STATES, PUSH_EVENTS, AUDIT);
        states.to(Topics.PUSHES, Produced.with(Serdes.String(), Serdes.ByteArray()));
        states.selectKey((pushId, state) -> appKey(StoredJson.state(state)))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("push-states-by-app"))
                .process(AppFold::new, APP_FOLD)
                .to(APP_PUSHES_TOPIC, Produced.with(Serdes.String(), Serdes.ByteArray()));
        builder.globalTable(APP_PUSHES_TOPIC, Consumed.with(Serdes.String(), Serdes.ByteArray()),
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(APP_PUSHES)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
        return builder.build();
    }

    static String appKey(dev.slipway.events.AppRef app) {
        return app.namespace() + "/" + app.name();
    }

    private static String appKey(PushState state) {
        return appKey(state.app());
    }

    private static org.apache.kafka.streams.state.StoreBuilder<KeyValueStore<String, byte[]>> store(
            String name, Map<String, String> changelog) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(changelog);
    }
}
