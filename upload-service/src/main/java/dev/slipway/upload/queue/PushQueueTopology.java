package dev.slipway.upload.queue;

import dev.slipway.events.Event;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventSerializer;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The per-app push queue as a Kafka Streams topology: the event log's signals, re-keyed by app (the
 * log is keyed by blob uid, so one app's pushes sit on several partitions), into one RocksDB store of
 * {@link AppQueue}s whose changelog survives a restart; the stage requests and supersessions go back
 * onto the log, keyed by blob uid as every event is.
 */
final class PushQueueTopology {

    static final String STORE = "app-queues";

    private PushQueueTopology() {
    }

    static Topology build(Duration stagingTimeout, Duration checkInterval, Clock clock) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new JsonSerde<>(AppQueue.class)));
        builder.stream(Topics.EVENTS, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("event-log"))
                .process(QueueSignals::new, Named.as("signals"))
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(QueueSignal.class)).withName("by-app"))
                .process(() -> new QueueProcessor(stagingTimeout, checkInterval, clock), Named.as("queues"), STORE)
                .to(Topics.EVENTS, Produced.with(Serdes.String(), new EventSerde()).withName("issued"));
        return builder.build();
    }

    /** Writes events as every service does (CloudEvents binary mode); the queue never reads them back. */
    private static final class EventSerde implements Serde<Event<?>> {

        @Override
        public Serializer<Event<?>> serializer() {
            return new EventSerializer();
        }

        @Override
        public Deserializer<Event<?>> deserializer() {
            return (topic, bytes) -> {
                throw new UnsupportedOperationException("the push queue only writes events");
            };
        }
    }
}
