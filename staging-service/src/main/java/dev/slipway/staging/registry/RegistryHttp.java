package dev.slipway.staging.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Requests to one registry's HTTP API v2: its scheme, its credentials, the manifest types staging makes. */
final class RegistryHttp {

    /** The manifest types a HEAD asks for, so the digest is that of the manifest the registry stores. */
    static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json,"
            + "application/vnd.oci.image.index.v1+json,"
            + "application/vnd.docker.distribution.manifest.list.v2+json";

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            // a registry may serve blobs from elsewhere (a redirect to its storage)
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private final boolean insecure;
    private final String username;
    private final String password;

    RegistryHttp(boolean insecure, String username, String password) {
        this.insecure = insecure;
        this.username = username;
        this.password = password;
    }

    /** {@code path} ({@code /v2/...}) on {@code host}, with the credentials when there are any. */
    HttpRequest.Builder request(String host, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((insecure ? "http" : "https") + "://" + host
                + path)).timeout(Duration.ofSeconds(10));
        if (username != null && !username.isBlank()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }
}
