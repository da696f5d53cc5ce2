package dev.slipway.staging.build.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RegistryAuthTest {

    @Test
    void holdsTheCredentialsOfOneRegistryAsBasicAuth() {
        JsonNode file = EventJson.mapper().readTree(RegistryAuth.json("registry.example:5000", "builder", "s3cr:et"));

        assertThat(file.path("auths").propertyNames()).containsExactly("registry.example:5000");
        String basic = file.path("auths").path("registry.example:5000").path("auth").asString();
        assertThat(new String(Base64.getDecoder().decode(basic), StandardCharsets.UTF_8)).isEqualTo("builder:s3cr:et");
    }

    @Test
    void aQuoteInARegistryNameCannotAddEntriesToTheFile() {
        String hostile = "evil\",\"other.example\":{\"auth\":\"x\"},\"x";

        JsonNode file = EventJson.mapper().readTree(RegistryAuth.json(hostile, "u", "p"));

        assertThat(file.path("auths").propertyNames()).containsExactly(hostile);
    }
}
