package dev.slipway.testsupport.kafka;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageAttempt;
import dev.slipway.events.Topics;
import dev.slipway.events.kafka.EventDeserializer;
import dev.slipway.events.kafka.EventSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Slipway event log on a real broker, seen from outside the services: publish events as a
 * producing service would, and read back what the services wrote, decoded by the contract's serde.
 */
public class EventLog implements AutoCloseable {

    private final String bootstrapServers;
    private final TopicReader reader;
    private final KafkaProducer<String, byte[]> producer;
    private final EventSerializer serializer = new EventSerializer();
    private final EventDeserializer deserializer = new EventDeserializer();

    public EventLog(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.reader = new TopicReader(bootstrapServers, Topics.EVENTS);
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Publishes an event keyed by its blob uid and waits for the broker's acknowledgement. */
    public <T extends EventData> Event<T> publish(Event<T> event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS, event.key(), null);
        byte[] value = serializer.serialize(Topics.EVENTS, record.headers(), event);
        send(new ProducerRecord<>(Topics.EVENTS, null, event.key(), value, record.headers()));
        return event;
    }

    /** Publishes bytes as they are, e.g. a poison record no serde would write. */
    public void publishRaw(String key, byte[] value, List<Header> headers) {
        send(new ProducerRecord<>(Topics.EVENTS, null, key, value, headers));
    }

    /**
     * Leaves in the attempt ledger what {@code attempts} lives of the service {@code group} would have
     * left had each died in the middle of handling {@code event}.
     */
    public void markUnfinishedAttempts(String group, Event<?> event, int attempts) {
        StageAttempt attempt = new StageAttempt(group, event.id(), attempts);
        send(new ProducerRecord<>(Topics.STAGE_ATTEMPTS, attempt.key(), attempt.toJson()));
    }

    /** A reader of another topic on the same broker, e.g. a dead-letter topic. */
    public TopicReader topic(String topic) {
        return new TopicReader(bootstrapServers, topic);
    }

    public ConsumerRecord<String, byte[]> awaitRecord(Predicate<ConsumerRecord<String, byte[]>> match,
                                                      Duration timeout) {
        return reader.await(match, timeout);
    }

    /** Waits for the first event of {@code type} in the push {@code pushId}. */
    public ConsumerRecord<String, byte[]> awaitRecord(String pushId, EventType type, Duration timeout) {
        return reader.await(record -> Objects.equals(header(record, "ce_correlationid"), pushId)
                && Objects.equals(header(record, "ce_type"), type.type()), timeout);
    }

    public Event<EventData> awaitEvent(String pushId, EventType type, Duration timeout) {
        return decode(awaitRecord(pushId, type, timeout));
    }

    /** All events of one push read so far, in log order. */
    public List<Event<EventData>> eventsOf(String pushId) {
        return reader.poll().stream()
                .filter(record -> Objects.equals(header(record, "ce_correlationid"), pushId))
                .map(this::decode)
                .toList();
    }

    public Event<EventData> decode(ConsumerRecord<String, byte[]> record) {
        return deserializer.deserialize(record.topic(), record.headers(), record.value());
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker refused the record", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        reader.close();
    }
}
