package dev.slipway.upload.push;

import dev.slipway.events.BuildSettings;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.upload.api.ApiException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A push's build settings as the API takes them (env values in clear, over TLS) into what the event
 * log keeps: each value sealed with the platform's secrets key, so only staging can open it. Refusals
 * name the variable, never its value.
 */
final class BuildRequests {

    private final SecretBox secrets;

    BuildRequests(SecretBox secrets) {
        this.secrets = secrets;
    }

    /** The settings to put on {@code stage.requested}, or null when the push asked nothing of its build. */
    BuildSettings sealed(Map<String, String> env, Boolean noCache, String dockerfile) {
        boolean fresh = Boolean.TRUE.equals(noCache);
        if ((env == null || env.isEmpty()) && !fresh && dockerfile == null) {
            return null;
        }
        try {
            Map<String, String> sealedEnv = new LinkedHashMap<>();
            BuildSettings.requirePlainEnv(env).forEach((name, value) -> sealedEnv.put(name, secrets.seal(value)));
            return new BuildSettings(sealedEnv, fresh, dockerfile == null ? null : BuildSettings.requireDockerfile(
                    dockerfile));
        } catch (IllegalArgumentException refused) {
            throw ApiException.unprocessable(refused.getMessage());
        }
    }
}
