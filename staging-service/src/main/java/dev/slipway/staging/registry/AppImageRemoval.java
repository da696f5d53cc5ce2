package dev.slipway.staging.registry;

import dev.slipway.events.AppRef;
import dev.slipway.events.EventJson;
import dev.slipway.events.ImageNames;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Deletes a deleted app's images from the registry through its HTTP API v2: the repository's tags
 * ({@code GET tags/list}), each tag's digest ({@code HEAD} with the manifest types), then
 * {@code DELETE manifests/<digest>}. A repository is {@code <namespace>-<app>}, which two apps can share
 * (app {@code b-c} of {@code a} and app {@code c} of {@code a-b}), so only manifests whose image carries
 * the deleted app's label ({@code dev.slipway.app}, set by every build) are deleted. Idempotent: a repository or manifest already gone counts as
 * deleted. A registry that does not answer or answers 5xx is tried again with back-off and then
 * the call fails (the event is retried, then dead-lettered for redrive); a registry that refuses
 * deletes (405, the default of docker-registry) is a warning, as there is nothing staging can do.
 */
public final class AppImageRemoval {

    private static final Logger log = LoggerFactory.getLogger(AppImageRemoval.class);
    /** The label every build puts on its image: the app it was built for. */
    public static final String APP_LABEL = "dev.slipway.app";
    private static final Pattern DIGEST = Pattern.compile("^sha256:[0-9a-f]{64}$");
    private static final Pattern NEXT_PAGE = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final String host;
    private final RegistryHttp http;
    private final Retry retry;

    public AppImageRemoval(String host, boolean insecure, String username, String password, int attempts,
                           Duration firstWait) {
        this.host = host;
        this.http = new RegistryHttp(insecure, username, password);
        this.retry = Retry.of("registry-delete", RetryConfig.custom()
                .maxAttempts(Math.max(1, attempts))
                .intervalFunction(IntervalFunction.ofExponentialBackoff(firstWait, 2))
                .retryExceptions(IOException.class, ServerError.class)
                .build());
    }

    /** What a removal did: the tags whose manifests went, or that the registry refused deletes. */
    public record Removal(String repository, List<String> deletedTags, boolean refused) {
    }

    public Removal removeImagesOf(AppRef app) {
        String repository = ImageNames.repository(app);
        List<String> deleted = new ArrayList<>();
        for (String tag : tags(repository)) {
            Optional<String> digest = call(() -> digestOfOwned(repository, tag, app));
            if (digest.isEmpty()) {
                continue;  // deleted meanwhile (another tag of the same manifest, another replica), or not the app's
            }
            int status = call(() -> send(http.request(host, "/v2/" + repository + "/manifests/" + digest.get())
                    .DELETE().build()).statusCode());
            if (status == 405) {
                log.warn("the registry {} refuses deletes (405): the images of deleted app {} stay in {}; let it "
                        + "delete (docker-registry: REGISTRY_STORAGE_DELETE_ENABLED=true) and run its garbage "
                        + "collection", host, app, repository);
                return new Removal(repository, deleted, true);
            }
            if (status != 202 && status != 200 && status != 404) {
                log.warn("the registry {} answered {} to deleting {}@{}; it stays", host, status, repository,
                        digest.get());
                continue;
            }
            deleted.add(tag);
        }
        if (!deleted.isEmpty()) {
            log.info("deleted {} image(s) of deleted app {} from {}", deleted.size(), app, host);
        }
        return new Removal(repository, deleted, false);
    }

    private List<String> tags(String repository) {
        List<String> tags = new ArrayList<>();
        String path = "/v2/" + repository + "/tags/list?n=1000";
        while (path != null) {
            String page = path;
            HttpResponse<String> response = call(() -> sendForBody(http.request(host, page).GET().build()));
            if (response.statusCode() == 404) {
                return tags;  // no such repository: nothing was ever pushed, or it is gone already
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the registry " + host + " answered " + response.statusCode()
                        + " to listing the tags of " + repository);
            }
            JsonNode listed = EventJson.mapper().readTree(response.body()).path("tags");
            listed.forEach(tag -> tags.add(URLEncoder.encode(tag.asString(), StandardCharsets.UTF_8)));
            path = response.headers().firstValue("Link").map(NEXT_PAGE::matcher).filter(Matcher::find)
                    .map(next -> next.group(1)).filter(next -> next.startsWith("/v2/" + repository + "/")).orElse(null);
        }
        return tags;
    }

    /** The manifest's digest when the tag is there and its image was built for {@code app}. */
    private Optional<String> digestOfOwned(String repository, String tag, AppRef app) throws IOException, ServerError {
        HttpResponse<String> manifest = sendForBody(http.request(host, "/v2/" + repository + "/manifests/" + tag)
                .header("Accept", RegistryHttp.MANIFEST_TYPES).GET().build());
        if (manifest.statusCode() != 200) {
            return Optional.empty();
        }
        Optional<String> digest = manifest.headers().firstValue("Docker-Content-Digest").filter(DIGEST.asPredicate());
        String config = EventJson.mapper().readTree(manifest.body()).path("config").path("digest").asString("");
        if (digest.isEmpty() || !DIGEST.matcher(config).matches()) {
            log.warn("{}:{} in {} is not an image manifest staging makes; it stays", repository, tag, host);
            return Optional.empty();
        }
        HttpResponse<String> image = sendForBody(http.request(host, "/v2/" + repository + "/blobs/" + config)
                .GET().build());
        String owner = image.statusCode() == 200 ? EventJson.mapper().readTree(image.body()).path("config")
                .path("Labels").path(APP_LABEL).asString("") : "";
        if (!owner.equals(app.toString())) {
            log.info("{}:{} belongs to {}, not to deleted app {}; it stays", repository, tag,
                    owner.isEmpty() ? "no app" : owner, app);
            return Optional.empty();
        }
        return digest;
    }

    private HttpResponse<Void> send(HttpRequest request) throws IOException, ServerError {
        return checked(interruptible(() -> RegistryHttp.HTTP.send(request, HttpResponse.BodyHandlers.discarding())));
    }

    private HttpResponse<String> sendForBody(HttpRequest request) throws IOException, ServerError {
        return checked(interruptible(() -> RegistryHttp.HTTP.send(request, HttpResponse.BodyHandlers.ofString())));
    }

    private <T> HttpResponse<T> checked(HttpResponse<T> response) throws ServerError {
        if (response.statusCode() >= 500) {
            throw new ServerError(host + " answered " + response.statusCode() + " to " + response.request().method()
                    + " " + response.uri().getPath());
        }
        return response;
    }

    private <T> T call(RegistryCall<T> call) {
        try {
            return retry.executeCallable(call::run);
        } catch (IOException | ServerError e) {
            throw new IllegalStateException("the registry " + host + " could not delete images (" + e.getMessage()
                    + "); the deletion is retried, then dead-lettered for redrive", e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static <T> HttpResponse<T> interruptible(HttpCall<T> call) throws IOException {
        try {
            return call.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @FunctionalInterface
    private interface RegistryCall<T> {
        T run() throws IOException, ServerError;
    }

    @FunctionalInterface
    private interface HttpCall<T> {
        HttpResponse<T> send() throws IOException, InterruptedException;
    }

    /** A 5xx answer: worth trying again. */
    static final class ServerError extends Exception {
        ServerError(String message) {
            super(message);
        }
    }
}
