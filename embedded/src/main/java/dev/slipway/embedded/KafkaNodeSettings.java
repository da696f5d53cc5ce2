package dev.slipway.embedded;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Broker settings for one combined broker+controller node on loopback: replication factor 1 wherever
 * Kafka assumes three, and small thread pools and buffers because local mode shares one machine.
 */
final class KafkaNodeSettings {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String CLIENT_LISTENER = "PLAINTEXT";

    private KafkaNodeSettings() {
    }

    static Properties of(Path logDir, int port, int controllerPort, LogCleaning cleaning) {
        Properties settings = new Properties();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", String.valueOf(NODE_ID));
        settings.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        settings.put("controller.listener.names", CONTROLLER_LISTENER);
        settings.put("listeners", CLIENT_LISTENER + "://127.0.0.1:" + port + "," + CONTROLLER_LISTENER
                + "://127.0.0.1:" + controllerPort);
        settings.put("advertised.listeners", CLIENT_LISTENER + "://127.0.0.1:" + port);
        settings.put("inter.broker.listener.name", CLIENT_LISTENER);
        settings.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER
                + ":PLAINTEXT");
        settings.put("log.dirs", logDir.toString());

        // one node: nothing can be replicated, and internal topics need not be wide
        settings.put("default.replication.factor", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "5");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "5");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("num.partitions", "3");
        settings.put("auto.create.topics.enable", "true");
        // nobody else will join: do not hold the first rebalance back
        settings.put("group.initial.rebalance.delay.ms", "0");

        // memory: local mode must fit in 1.5 GB for everything, so keep pools and buffers small
        settings.put("num.network.threads", "1");
        settings.put("num.io.threads", "2");
        settings.put("background.threads", "2");
        settings.put("num.recovery.threads.per.data.dir", "1");
        settings.put("num.replica.fetchers", "1");
        settings.put("log.cleaner.threads", "1");
        settings.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        settings.put("socket.send.buffer.bytes", String.valueOf(64 * 1024));
        settings.put("socket.receive.buffer.bytes", String.valueOf(64 * 1024));

        // expiry: how soon a topic's retention takes effect (see LogCleaning)
        settings.put("log.retention.check.interval.ms", String.valueOf(cleaning.retentionCheckInterval().toMillis()));
        settings.put("log.roll.ms", String.valueOf(cleaning.segmentRoll().toMillis()));
        // the first check waits this long after start (Kafka: 30 s); no longer than the later ones
        settings.put("log.initial.task.delay.ms", String.valueOf(Math.min(30_000,
                cleaning.retentionCheckInterval().toMillis())));
        return settings;
    }
}
