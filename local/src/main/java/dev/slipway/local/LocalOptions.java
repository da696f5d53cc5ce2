package dev.slipway.local;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where local mode keeps its data and which ports it uses; 0 picks a free port (tests).
 *
 * @param apiPort      the API (upload-service), what {@code slipway login} takes
 * @param routerPort   where apps answer: {@code http://<app>.localhost:<routerPort>/}
 * @param routerAddress the address the router binds: {@value #LOOPBACK} (this machine only) by default,
 *                     another (such as {@code 0.0.0.0}) to let other machines reach the apps; every other
 *                     server of the platform listens on {@value #LOOPBACK} whatever this says
 * @param servicePort  first of the three health ports of staging, deploy and routing (0: free ports)
 * @param stopTimeout  how long stopping everything may take, apps included (see {@link LocalPlatform#close()})
 * @param eventsRetention how long the event log keeps events ({@code slipway.events.retention}); the broker looks
 *                     for expired ones often enough to honour it (see {@code LogCleaning})
 */
public record LocalOptions(Path dataDir, int apiPort, int routerPort, String routerAddress, int kafkaPort, int s3Port,
                           int registryPort, int servicePort, Duration stopTimeout, Duration eventsRetention) {

    public static final String LOOPBACK = "127.0.0.1";

    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(12);

    /** The services' own default (see {@code EventsProperties}). */
    public static final Duration DEFAULT_EVENTS_RETENTION = Duration.ofDays(30);

    public static LocalOptions defaults(Path dataDir) {
        return new LocalOptions(dataDir, 8080, 8888, LOOPBACK, 19092, 19000, 15000, 8081, DEFAULT_STOP_TIMEOUT,
                DEFAULT_EVENTS_RETENTION);
    }

    /** Every port picked freely: for tests and for a second installation beside the first. */
    public static LocalOptions freePorts(Path dataDir) {
        return new LocalOptions(dataDir, 0, 0, LOOPBACK, 0, 0, 0, 0, DEFAULT_STOP_TIMEOUT, DEFAULT_EVENTS_RETENTION);
    }

    public LocalOptions withPorts(int apiPort, int routerPort) {
        return new LocalOptions(dataDir, apiPort, routerPort, routerAddress, kafkaPort, s3Port, registryPort,
                servicePort, stopTimeout, eventsRetention);
    }

    public LocalOptions withStopTimeout(Duration stopTimeout) {
        return new LocalOptions(dataDir, apiPort, routerPort, routerAddress, kafkaPort, s3Port, registryPort,
                servicePort, stopTimeout, eventsRetention);
    }

    /** The router on {@code address}, for users who want their apps reachable from other machines. */
    public LocalOptions withRouterAddress(String address) {
        return new LocalOptions(dataDir, apiPort, routerPort, address, kafkaPort, s3Port, registryPort, servicePort,
                stopTimeout, eventsRetention);
    }

    /** Events kept {@code retention} (a test lets them expire within seconds). */
    public LocalOptions withEventsRetention(Duration retention) {
        return new LocalOptions(dataDir, apiPort, routerPort, routerAddress, kafkaPort, s3Port, registryPort,
                servicePort, stopTimeout, retention);
    }
}
