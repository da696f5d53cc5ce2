package dev.slipway.deploy.pipeline;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.EventJson;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.secrets.SecretBox;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Apps' env vars, for the release only: read from {@code slipway.apps} (sealed) and opened with the
 * secrets key at deploy time. Events name a configuration version; the values never travel on them.
 */
public class AppConfigurations {

    private final Map<String, AppState> apps = new ConcurrentHashMap<>();
    private final SecretBox secrets;

    public AppConfigurations(SecretBox secrets) {
        this.secrets = secrets;
    }

    public void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            apps.remove(record.key());
        } else {
            apps.put(record.key(), EventJson.mapper().readValue(record.value(), AppState.class));
        }
    }

    /** The env of {@code configurationRef} ({@code <ns>/<app>@<version>}); empty for none. */
    public Map<String, String> env(AppRef app, String configurationRef) throws DeployFailure {
        if (configurationRef == null) {
            return Map.of();
        }
        AppState state = apps.get(app.namespace() + "/" + app.name());
        if (state == null || state.configVersion() < versionOf(configurationRef)) {
            throw new DeployFailure(ReasonCodes.RELEASE_NOT_FOUND, "configuration " + configurationRef
                    + " is not known here yet; replay the push in a moment", true, null);
        }
        Map<String, String> env = new TreeMap<>();
        state.sealedEnv().forEach((name, sealed) -> env.put(name, secrets.open(sealed)));
        return env;
    }

    private static int versionOf(String configurationRef) {
        return Integer.parseInt(configurationRef.substring(configurationRef.lastIndexOf('@') + 1));
    }
}
