package dev.slipway.embedded;

import dev.slipway.embedded.KafkaDataDir.KafkaIdentity;
import java.nio.file.Path;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker (KRaft, broker and controller in one) running inside this JVM on a
 * fixed loopback port. Topics and records live in the data folder and survive a restart: the folder is
 * formatted once, with a cluster id kept alongside the logs, and every later start reuses it.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final int port;
    private final String clusterId;
    private final boolean freshlyFormatted;

    private EmbeddedKafka(KafkaRaftServer server, int port, String clusterId, boolean freshlyFormatted) {
        this.server = server;
        this.port = port;
        this.clusterId = clusterId;
        this.freshlyFormatted = freshlyFormatted;
    }

    /**
     * Starts a broker for clients on {@code port}, keeping its data in {@code dataDir}. The controller
     * listens on the port stored in {@code dataDir}, or on a free one chosen and stored on first start.
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, 0);
    }

    /** As {@link #start(Path, int)}, with the controller on {@code controllerPort} (0: stored or free). */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, LogCleaning.KAFKA_DEFAULTS);
    }

    /** As {@link #start(Path, int, int)}, looking for expired records and closing segments as {@code cleaning} says. */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort, LogCleaning cleaning) {
        if (port <= 0) {
            throw new IllegalArgumentException("the broker needs a fixed port, got " + port);
        }
        long started = System.nanoTime();
        KafkaDataDir folder = new KafkaDataDir(dataDir);
        KafkaIdentity identity = folder.identity(controllerPort);
        boolean formatted = folder.formatIfNew(identity, KafkaNodeSettings.NODE_ID,
                KafkaNodeSettings.CONTROLLER_LISTENER);
        KafkaConfig config = KafkaConfig.fromProps(KafkaNodeSettings.of(folder.folder(), port,
                identity.controllerPort(), cleaning));
        // the constructor already reads and checks the formatted folder; startup() returns once unfenced
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            try {
                shutDown(server);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw new IllegalStateException("Kafka did not start on port " + port + " with data in " + dataDir, e);
        }
        LOG.info("Kafka {} on 127.0.0.1:{} in {} ms ({})", identity.clusterId(), port,
                (System.nanoTime() - started) / 1_000_000, formatted ? "new data folder" : "existing data");
        return new EmbeddedKafka(server, port, identity.clusterId(), formatted);
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String clusterId() {
        return clusterId;
    }

    /** Whether this start formatted an empty folder, rather than resuming existing data. */
    public boolean freshlyFormatted() {
        return freshlyFormatted;
    }

    /** Shuts down in order (broker first, with a controlled shutdown, then the controller) and waits. */
    @Override
    public void close() {
        shutDown(server);
    }

    private static void shutDown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }
}
