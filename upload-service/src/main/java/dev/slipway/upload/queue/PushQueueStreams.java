package dev.slipway.upload.queue;

import dev.slipway.upload.streams.StreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** The queue's Streams application, started and stopped with the service. */
class PushQueueStreams implements SmartLifecycle {

    static final String APPLICATION_ID = "slipway-upload-push-queue";

    private static final Logger log = LoggerFactory.getLogger(PushQueueStreams.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Properties config;
    private final Duration stagingTimeout;
    private final Duration checkInterval;
    private final Clock clock;
    private final boolean dropStateOnStop;
    private final StreamsMetrics metrics;
    private volatile KafkaStreams streams;
    private AutoCloseable boundMetrics;

    /** {@code dropStateOnStop}: the state folder was made for this run only, so nothing is left behind. */
    PushQueueStreams(Properties config, Duration stagingTimeout, Duration checkInterval, Clock clock,
                     boolean dropStateOnStop) {
        this(config, stagingTimeout, checkInterval, clock, dropStateOnStop, StreamsMetrics.NONE);
    }

    PushQueueStreams(Properties config, Duration stagingTimeout, Duration checkInterval, Clock clock,
                     boolean dropStateOnStop, StreamsMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.stagingTimeout = stagingTimeout;
        this.checkInterval = checkInterval;
        this.clock = clock;
        this.dropStateOnStop = dropStateOnStop;
        // a replica that died holds its apps' queues until the group notices: seconds, not the default 45 s
        config.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        config.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
    }

    /** A Streams client runs once; a service stopped and started again (as a paused context is) gets a new one. */
    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        KafkaStreams started = new KafkaStreams(PushQueueTopology.build(stagingTimeout, checkInterval, clock), config);
        // a failed record costs a stream thread, never the queue: the thread is replaced and picks up again
        started.setUncaughtExceptionHandler(failure -> {
            log.error("push queue thread failed; replacing it", failure);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        boundMetrics = metrics.bind(started);
        started.start();
        streams = started;
    }

    @Override
    public synchronized void stop() {
        KafkaStreams stopping = streams;
        if (stopping == null) {
            return;
        }
        streams = null;
        StreamsMetrics.closeQuietly(boundMetrics);
        // leaving the group hands this replica's apps to another one at once, not after the session timeout
        if (stopping.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true))
                && dropStateOnStop) {
            stopping.cleanUp();
        }
    }

    @Override
    public boolean isRunning() {
        return streams != null;
    }

    /** The Streams client's state; NOT_RUNNING while the service is stopped. */
    KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.NOT_RUNNING : current.state();
    }
}
