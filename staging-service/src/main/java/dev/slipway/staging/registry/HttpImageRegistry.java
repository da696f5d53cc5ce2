package dev.slipway.staging.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Asks the registry's HTTP API for a manifest ({@code HEAD /v2/<repository>/manifests/<tag>}). A
 * registry that does not answer has no image as far as staging knows: the build then runs and
 * meets the outage itself, with its own retries and reason code.
 */
public final class HttpImageRegistry implements ImageRegistry {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final boolean insecure;
    private final String username;
    private final String password;

    public HttpImageRegistry(boolean insecure, String username, String password) {
        this.insecure = insecure;
        this.username = username;
        this.password = password;
    }

    @Override
    public Optional<String> digestOf(String image) {
        int slash = image.indexOf('/');
        int colon = image.lastIndexOf(':');
        if (slash < 0 || colon < slash) {
            throw new IllegalArgumentException("not a host/repository:tag image reference: " + image);
        }
        HttpRequest.Builder head = HttpRequest.newBuilder(URI.create((insecure ? "http" : "https") + "://"
                        + image.substring(0, slash) + "/v2/" + image.substring(slash + 1, colon) + "/manifests/"
                        + image.substring(colon + 1)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
                        + "application/vnd.docker.distribution.manifest.v2+json");
        if (username != null && !username.isBlank()) {
            head.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<Void> response = HTTP.send(head.build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? response.headers().firstValue("Docker-Content-Digest")
                    : Optional.empty();
        } catch (IOException unreachable) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
