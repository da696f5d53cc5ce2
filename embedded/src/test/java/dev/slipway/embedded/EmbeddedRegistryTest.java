package dev.slipway.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRegistryTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void answersTheRegistryApiAndStopsItsProcessWhenClosed(@TempDir Path root) throws Exception {
        int port = LoopbackPorts.free();
        EmbeddedRegistry registry = EmbeddedRegistry.open(root, port);
        try {
            assertThat(registry.host()).isEqualTo("127.0.0.1:" + port);
            assertThat(status(registry, null)).isEqualTo(200);
        } finally {
            registry.close();
        }

        assertThat(registry.isRunning()).isFalse();
        assertThatThrownBy(() -> status(registry, null)).isInstanceOf(ConnectException.class);
    }

    @Test
    void withBasicAuthWantsTheCredentials(@TempDir Path root) throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.withBasicAuth(root, 0, "slipway", "s3cret")) {
            assertThat(status(registry, null)).isEqualTo(401);
            assertThat(status(registry, "slipway:s3cret")).isEqualTo(200);
        }
    }

    @Test
    void resumesOnTheSamePortAfterClose(@TempDir Path root) throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.open(root, 0)) {
            registry.close();
            registry.resume();

            assertThat(status(registry, null)).isEqualTo(200);
        }
    }

    private static int status(EmbeddedRegistry registry, String credentials) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(registry.url().resolve("/v2/"));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
