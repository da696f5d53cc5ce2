package dev.slipway.local;

import java.nio.file.Path;

/**
 * Where local mode keeps its data and which ports it uses; 0 picks a free port (tests).
 *
 * @param apiPort      the API (upload-service), what {@code slipway login} takes
 * @param routerPort   where apps answer: {@code http://<app>.localhost:<routerPort>/}
 * @param servicePort  first of the three health ports of staging, deploy and routing (0: free ports)
 */
public record LocalOptions(Path dataDir, int apiPort, int routerPort, int kafkaPort, int s3Port, int registryPort,
                           int servicePort) {

    public static LocalOptions defaults(Path dataDir) {
        return new LocalOptions(dataDir, 8080, 8888, 19092, 19000, 15000, 8081);
    }

    /** Every port picked freely: for tests and for a second installation beside the first. */
    public static LocalOptions freePorts(Path dataDir) {
        return new LocalOptions(dataDir, 0, 0, 0, 0, 0, 0);
    }
}
