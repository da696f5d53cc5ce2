package dev.slipway.events.spring.teststage;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageRequested;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.kafka.EventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * The broker as the test stage's neighbours see it: requests published as upload-service would, and
 * the records of any topic read from the beginning. (events-schema cannot use test-support's
 * EventLog: test-support depends on this module.)
 */
public final class BrokerView implements AutoCloseable {

    private static final URI UPLOAD = URI.create("/slipway/upload-service");

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;
    private final EventSerializer serializer = new EventSerializer();
    private final EventDeserializer deserializer = new EventDeserializer();

    public BrokerView(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** A stage request whose app name ({@code <behaviour>-<random>}) tells the test stage what to do. */
    public Event<StageRequested> request(String behaviour, String blobUid) {
        AppRef app = new AppRef("workspace", behaviour + "-" + UUID.randomUUID().toString().substring(0, 8));
        Event<StageRequested> event = Event.start(UPLOAD, new StageRequested(blobUid, app, null,
                AppSettings.defaults(), null));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS, event.key(), null);
        byte[] value = serializer.serialize(Topics.EVENTS, record.headers(), event);
        try {
            producer.send(new ProducerRecord<>(Topics.EVENTS, null, event.key(), value, record.headers())).get();
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not take " + event.id(), e);
        }
        return event;
    }

    /** All records of {@code topic} now on the broker, from the beginning. */
    public List<ConsumerRecord<String, byte[]>> records(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = Optional.ofNullable(consumer.partitionsFor(topic, Duration.ofSeconds(5)))
                    .orElse(List.of()).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    /** The events of one push in log order. */
    public List<Event<EventData>> eventsOf(Event<?> push) {
        return records(Topics.EVENTS).stream()
                .filter(record -> push.correlationId().equals(header(record, "ce_correlationid")))
                .map(record -> deserializer.deserialize(record.topic(), record.headers(), record.value()))
                .toList();
    }

    public long count(Event<?> push, EventType type) {
        return eventsOf(push).stream().filter(event -> event.is(type)).count();
    }

    /** Waits until the push has an event of {@code type}, and returns the first. */
    public Event<EventData> await(Event<?> push, EventType type, Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> eventsOf(push).stream().filter(event -> event.is(type)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    /** Waits until a record of {@code topic} matches. */
    public ConsumerRecord<String, byte[]> await(String topic, Predicate<ConsumerRecord<String, byte[]>> match,
                                                Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> records(topic).stream().filter(match).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static Predicate<ConsumerRecord<String, byte[]>> eventId(Event<?> event) {
        return record -> Objects.equals(header(record, "ce_id"), event.id());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
