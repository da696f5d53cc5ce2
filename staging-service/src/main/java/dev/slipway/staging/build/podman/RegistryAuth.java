package dev.slipway.staging.build.podman;

import dev.slipway.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The registry credentials as podman, buildah and Jib read them from an auth file ({@code auths}). */
public final class RegistryAuth {

    private RegistryAuth() {
    }

    /** The auth file's JSON for one registry; written by a JSON writer, so no value can break out of it. */
    public static String json(String registry, String username, String password) {
        String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        var file = EventJson.mapper().createObjectNode();
        file.putObject("auths").putObject(registry).put("auth", basic);
        return file.toString() + "\n";
    }
}
