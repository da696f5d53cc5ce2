package dev.slipway.bench.replay;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes synthetic pushes to the event log as the services would (the contract's serializer, keyed
 * by blob uid, on a topic with the services' default of 6 partitions, each record stamped with its
 * event's time), as fast as the broker takes them.
 */
public final class EventLogFill {

    /** The services' default partition count of the events topic ({@code slipway.events.partitions}). */
    static final int PARTITIONS = 6;

    private EventLogFill() {
    }

    /** Every push id written, the namespaces used, and the records' total size (key, headers, value). */
    public record FilledLog(List<String> pushIds, List<String> namespaces, long events, long bytes) {

        public double averageRecordBytes() {
            return (double) bytes / events;
        }
    }

    public static FilledLog fill(String bootstrapServers, SyntheticPushes pushes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(Topics.EVENTS, Optional.of(PARTITIONS), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
        }
        EventSerializer serializer = new EventSerializer();
        AtomicReference<Exception> failed = new AtomicReference<>();
        List<String> pushIds = new ArrayList<>(pushes.pushes());
        long events = 0;
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < pushes.pushes() && failed.get() == null; i++) {
                List<Event<? extends EventData>> push = pushes.push(i);
                pushIds.add(push.get(0).correlationId());
                for (Event<? extends EventData> event : push) {
                    RecordHeaders headers = new RecordHeaders();
                    byte[] value = serializer.serialize(Topics.EVENTS, headers, event);
                    bytes += event.key().length() + value.length + headerBytes(headers);
                    events++;
                    // stamped with the event's time, as a record produced when the event happened would be
                    producer.send(new ProducerRecord<>(Topics.EVENTS, null, event.time().toInstant().toEpochMilli(),
                                    event.key(), value, headers),
                            (metadata, error) -> {
                                if (error != null) {
                                    failed.compareAndSet(null, error);
                                }
                            });
                }
            }
            producer.flush();
            producer.close(Duration.ofMinutes(1));
        }
        if (failed.get() != null) {
            throw new IllegalStateException("the broker refused a record", failed.get());
        }
        return new FilledLog(List.copyOf(pushIds), pushes.namespaces(), events, bytes);
    }

    private static long headerBytes(RecordHeaders headers) {
        long bytes = 0;
        for (Header header : headers) {
            bytes += header.key().length() + header.value().length;
        }
        return bytes;
    }
}
