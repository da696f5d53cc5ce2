package dev.slipway.testsupport.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer that breaks down, for tests of what survives it: named in {@code interceptor.classes},
 * it makes the next polls that return records throw an Error (Kafka catches an interceptor's
 * exceptions, not its Errors), for the consumers whose {@code client.id} starts with a given prefix.
 */
public class FailingPolls implements ConsumerInterceptor<Object, Object> {

    private static final Map<String, AtomicInteger> FAILURES_LEFT = new ConcurrentHashMap<>();

    private String clientId = "";

    /** The next {@code times} polls (with records) of consumers whose client id starts with the prefix fail. */
    public static void failNext(String clientIdPrefix, int times) {
        FAILURES_LEFT.put(clientIdPrefix, new AtomicInteger(times));
    }

    /** Failures still to come for the prefix. */
    public static int left(String clientIdPrefix) {
        AtomicInteger left = FAILURES_LEFT.get(clientIdPrefix);
        return left == null ? 0 : left.get();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        clientId = String.valueOf(configs.get(ConsumerConfig.CLIENT_ID_CONFIG));
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        FAILURES_LEFT.forEach((prefix, left) -> {
            if (clientId.startsWith(prefix) && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new OutOfMemoryError("test: the consumer " + clientId + " broke down");
            }
        });
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}
