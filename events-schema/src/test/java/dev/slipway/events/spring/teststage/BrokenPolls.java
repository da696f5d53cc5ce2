package dev.slipway.events.spring.teststage;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer that breaks down: named in {@code interceptor.classes}, it makes the next poll with
 * records of the consumer with a given {@code client.id} throw an Error (Kafka catches an
 * interceptor's exceptions, not its Errors). test-support has the same for the services' tests;
 * events-schema cannot depend on it.
 */
public class BrokenPolls implements ConsumerInterceptor<Object, Object> {

    private static volatile String victim = "";
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    private String clientId = "";

    public static void breakNextPollOf(String clientId) {
        victim = clientId;
        FAILURES_LEFT.set(1);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        clientId = String.valueOf(configs.get(ConsumerConfig.CLIENT_ID_CONFIG));
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        if (clientId.equals(victim) && FAILURES_LEFT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new OutOfMemoryError("test: the consumer " + clientId + " broke down");
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
}
