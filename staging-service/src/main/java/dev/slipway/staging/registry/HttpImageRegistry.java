package dev.slipway.staging.registry;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * Asks the registry's HTTP API for a manifest ({@code HEAD /v2/<repository>/manifests/<tag>}). A
 * registry that does not answer has no image as far as staging knows: the build then runs and
 * meets the outage itself, with its own retries and reason code.
 */
public final class HttpImageRegistry implements ImageRegistry {

    private final RegistryHttp http;

    public HttpImageRegistry(boolean insecure, String username, String password) {
        this.http = new RegistryHttp(insecure, username, password);
    }

    @Override
    public Optional<String> digestOf(String image) {
        int slash = image.indexOf('/');
        int colon = image.lastIndexOf(':');
        if (slash < 0 || colon < slash) {
            throw new IllegalArgumentException("not a host/repository:tag image reference: " + image);
        }
        HttpRequest head = http.request(image.substring(0, slash), "/v2/" + image.substring(slash + 1, colon)
                        + "/manifests/" + image.substring(colon + 1))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
                        + "application/vnd.docker.distribution.manifest.v2+json")
                .build();
        try {
            HttpResponse<Void> response = RegistryHttp.HTTP.send(head, HttpResponse.BodyHandlers.discarding());
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
