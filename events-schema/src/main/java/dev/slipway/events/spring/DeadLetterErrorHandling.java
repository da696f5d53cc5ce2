package dev.slipway.events.spring;

import dev.slipway.events.EventFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;

/**
 * Retries and dead letters in the listener container rather than in the binding, because only the
 * container sees records that cannot be deserialized: a poison record goes to the dead-letter
 * topic at once (never retried, never blocking its partition); a record whose processing keeps
 * failing goes there after the binding's back-off runs out.
 *
 * <p>The binder takes one customizer only, so this one also bounds how long stopping a container
 * waits for its consumer ({@code slipway.events.consumer-stop-timeout}), and closes the dead-letter
 * producer with the service: left open, it outlived the service and kept calling a stopped broker.
 */
public class DeadLetterErrorHandling implements ListenerContainerWithDlqAndRetryCustomizer, DisposableBean {

    /** The innermost error's message: why the record could not be handled, in Slipway's words. */
    public static final String REASON_HEADER = "slipway_dlt-reason";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterErrorHandling.class);

    private final DefaultKafkaProducerFactory<Object, Object> producers;
    private final KafkaTemplate<Object, Object> deadLetters;
    private final Duration consumerStopTimeout;

    public DeadLetterErrorHandling(DefaultKafkaProducerFactory<Object, Object> producers,
                                   Duration consumerStopTimeout) {
        this.producers = producers;
        this.deadLetters = new KafkaTemplate<>(producers);
        this.consumerStopTimeout = consumerStopTimeout;
    }

    @Override
    public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
                          BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver,
                          BackOff backOff) {
        container.getContainerProperties().setShutdownTimeout(consumerStopTimeout.toMillis());
        ConsumerRecordRecoverer recoverer;
        if (dlqDestinationResolver == null) {
            recoverer = (record, error) -> log.error("dropping {}-{}@{} (no dead-letter topic for group {}): {}",
                    record.topic(), record.partition(), record.offset(), group, reason(error));
        } else {
            DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(deadLetters,
                    (record, error) -> deadLetterPartition(dlqDestinationResolver, record, error, destinationName,
                            group));
            publisher.setHeadersFunction((record, error) -> new RecordHeaders().add(REASON_HEADER,
                    reason(error).getBytes(StandardCharsets.UTF_8)));
            recoverer = publisher;
        }
        DefaultErrorHandler errorHandler = new DefaultErrorHandler(recoverer, backOff);
        errorHandler.addNotRetryableExceptions(EventFormatException.class, RetriesExhaustedException.class);
        container.setCommonErrorHandler(errorHandler);
    }

    private static String reason(Throwable error) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(error);
        return root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    }

    /**
     * The binder's resolver leaves the topic out unless {@code dlqName} is set; the binder itself
     * then provisions {@code error.<destination>.<group>} with the source's partition count.
     */
    private static TopicPartition deadLetterPartition(
            BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> binderResolver, ConsumerRecord<?, ?> record,
            Exception error, String destinationName, String group) {
        TopicPartition resolved = binderResolver.apply(record, error);
        String topic = resolved != null && resolved.topic() != null ? resolved.topic()
                : "error." + destinationName + "." + group;
        int partition = resolved != null && resolved.partition() >= 0 ? resolved.partition() : record.partition();
        return new TopicPartition(topic, partition);
    }

    @Override
    public boolean retryAndDlqInBinding(String destinationName, String group) {
        return false;
    }

    @Override
    public void destroy() {
        producers.destroy();
    }
}
