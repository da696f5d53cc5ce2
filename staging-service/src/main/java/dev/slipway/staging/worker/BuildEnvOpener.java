package dev.slipway.staging.worker;

import dev.slipway.events.BuildSettings;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.staging.build.StageFailure;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens a push's sealed build env with the platform's secrets key, for the stage worker's order
 * (its standard input, never its command line or environment). A value that cannot be opened fails the
 * stage naming the variable and the fix, never the value.
 */
public final class BuildEnvOpener {

    private final SecretBox secrets;

    /** {@code secrets}: null when staging-service has no secrets key; then only pushes without build env stage. */
    public BuildEnvOpener(SecretBox secrets) {
        this.secrets = secrets;
    }

    /** The push's build env, opened; empty when it set none. */
    public Map<String, String> open(BuildSettings build) throws StageFailure {
        Map<String, String> opened = new LinkedHashMap<>();
        for (Map.Entry<String, String> sealed : build.sealedEnv().entrySet()) {
            String name = sealed.getKey();
            if (secrets == null) {
                throw new StageFailure(ReasonCodes.BUILD_FAILED, "the push sets build env " + name + " but "
                        + "staging-service has no secrets key to open it; give staging-service the same "
                        + "slipway.secrets.key as upload-service, then replay the push", false);
            }
            try {
                opened.put(name, BuildSettings.requireEnvValue(name, secrets.open(sealed.getValue())));
            } catch (IllegalArgumentException unopenable) {
                throw new StageFailure(ReasonCodes.BUILD_FAILED, "build env " + name + " cannot be opened: it was "
                        + "sealed with another key than staging-service's slipway.secrets.key, altered, or is not a "
                        + "one-line value; give staging-service the same slipway.secrets.key as upload-service and "
                        + "replay the push, or push again", false);
            }
        }
        return opened;
    }
}
