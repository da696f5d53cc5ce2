package dev.slipway.deploy.pipeline;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.EventJson;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.kafka.RecordChain;
import dev.slipway.events.secrets.SecretBox;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Apps' env vars, for the release only: read from {@code slipway.apps} (sealed) and opened with the
 * secrets key at deploy time. Events name a configuration version; the values never travel on them.
 */
public class AppConfigurations {

    /**
     * How long a deploy waits for a configuration version it names to arrive: a day-2 change stores
     * the version on {@code slipway.apps} a moment before its deploy request reaches the event log, and
     * the two topics are read apart.
     */
    public static final Duration CATCH_UP = Duration.ofSeconds(10);

    /** Only the records that count, as upload-service decides: a record written from a stale copy is ignored. */
    private final RecordChain<AppState> apps = new RecordChain<>(
            value -> EventJson.mapper().readValue(value, AppState.class));
    private final SecretBox secrets;
    private final Duration catchUp;
    private final Object arrivals = new Object();

    public AppConfigurations(SecretBox secrets) {
        this(secrets, CATCH_UP);
    }

    AppConfigurations(SecretBox secrets, Duration catchUp) {
        this.secrets = secrets;
        this.catchUp = catchUp;
    }

    public void apply(ConsumerRecord<String, byte[]> record) {
        apps.apply(record);
        synchronized (arrivals) {
            arrivals.notifyAll();
        }
    }

    /** The env of {@code configurationRef} ({@code <ns>/<app>@<version>}); empty for none. */
    public Map<String, String> env(AppRef app, String configurationRef) throws DeployFailure {
        if (configurationRef == null) {
            return Map.of();
        }
        AppState state = atLeast(app.namespace() + "/" + app.name(), versionOf(configurationRef));
        if (state == null || state.configVersion() < versionOf(configurationRef)) {
            throw new DeployFailure(ReasonCodes.RELEASE_NOT_FOUND, "configuration " + configurationRef
                    + " is not known here yet; replay the push in a moment", true, null);
        }
        Map<String, String> env = new TreeMap<>();
        state.sealedEnv().forEach((name, sealed) -> env.put(name, secrets.open(sealed)));
        return env;
    }

    /** The app once its configuration is at {@code version}, or as it is when {@link #catchUp} has passed. */
    private AppState atLeast(String app, int version) throws DeployFailure {
        long deadline = System.nanoTime() + catchUp.toNanos();
        synchronized (arrivals) {
            AppState state = apps.value(app).orElse(null);
            while (state == null || state.configVersion() < version) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return state;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(arrivals, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeployFailure(ReasonCodes.RELEASE_NOT_FOUND, "stopped while waiting for configuration "
                            + app + "@" + version + "; replay the push", true, e);
                }
                state = apps.value(app).orElse(null);
            }
            return state;
        }
    }

    private static int versionOf(String configurationRef) {
        return Integer.parseInt(configurationRef.substring(configurationRef.lastIndexOf('@') + 1));
    }
}
