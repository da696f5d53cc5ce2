package dev.slipway.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * The folder a single-node broker keeps everything in. Its identity (cluster id and controller port) is
 * written next to the logs on first use, so a restart finds the same cluster rather than an empty one.
 */
final class KafkaDataDir {

    /** Kafka writes this when it formats a log directory; a broker refuses to start without it. */
    private static final String KAFKA_META = "meta.properties";
    /** Ours: what a restart needs to rebuild the same configuration. Kafka ignores plain files here. */
    private static final String IDENTITY = "slipway-node.properties";
    private static final String CLUSTER_ID = "cluster.id";
    private static final String CONTROLLER_PORT = "controller.port";

    private final Path folder;

    KafkaDataDir(Path folder) {
        this.folder = folder.toAbsolutePath();
    }

    Path folder() {
        return folder;
    }

    /**
     * The node's cluster id and controller port, created on first use. A requested controller port wins
     * over the stored one: with a static single-voter quorum the port is not part of the metadata log.
     */
    KafkaIdentity identity(int requestedControllerPort) {
        try {
            Files.createDirectories(folder);
            Properties stored = read();
            String clusterId = stored.getProperty(CLUSTER_ID, Uuid.randomUuid().toString());
            int controllerPort = requestedControllerPort > 0 ? requestedControllerPort
                    : Integer.parseInt(stored.getProperty(CONTROLLER_PORT, String.valueOf(LoopbackPorts.free())));
            KafkaIdentity identity = new KafkaIdentity(clusterId, controllerPort);
            write(identity);
            return identity;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the Kafka data folder " + folder, e);
        }
    }

    /** Formats the folder for {@code identity} unless that already happened (what {@code kafka-storage format} does). */
    boolean formatIfNew(KafkaIdentity identity, int nodeId, String controllerListener) {
        if (Files.exists(folder.resolve(KAFKA_META))) {
            return false;
        }
        try {
            new Formatter()
                    .setNodeId(nodeId)
                    .setClusterId(identity.clusterId())
                    .setDirectories(List.of(folder.toString()))
                    .setMetadataLogDirectory(folder.toString())
                    .setControllerListenerName(controllerListener)
                    .setPrintStream(QuietPrintStream.INSTANCE)
                    .run();
            return true;
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + folder, e);
        }
    }

    private Properties read() throws IOException {
        Properties properties = new Properties();
        Path file = folder.resolve(IDENTITY);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
        }
        return properties;
    }

    private void write(KafkaIdentity identity) throws IOException {
        Properties properties = new Properties();
        properties.setProperty(CLUSTER_ID, identity.clusterId());
        properties.setProperty(CONTROLLER_PORT, String.valueOf(identity.controllerPort()));
        try (Writer writer = Files.newBufferedWriter(folder.resolve(IDENTITY))) {
            properties.store(writer, "Slipway embedded Kafka node: keep with the logs");
        }
    }

    record KafkaIdentity(String clusterId, int controllerPort) {
    }
}
