package dev.slipway.staging.build;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import dev.slipway.events.ReasonCodes;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Builds an app image in-process with Jib, without Docker: the unpacked app becomes one layer under
 * {@code /workspace} on top of the base image of its kind, pushed straight to the registry. An
 * unreachable registry is tried again with back-off before the stage fails as REGISTRY_UNAVAILABLE.
 */
public class JibImageBuilder {

    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
    private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");

    static final AbsoluteUnixPath WORKSPACE = AbsoluteUnixPath.get("/workspace");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BuildProperties properties;
    private final Retry retry;
    private final Path cache;

    public JibImageBuilder(BuildProperties properties) throws IOException {
        this.properties = properties;
        this.retry = Retry.of("registry", RetryConfig.custom()
                .maxAttempts(properties.attempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.retryWait(), 2))
                .retryOnException(JibImageBuilder::registryUnreachable)
                .build());
        this.cache = properties.cacheDir().isBlank() ? Files.createTempDirectory("slipway-jib-cache")
                : Files.createDirectories(Path.of(properties.cacheDir()));
    }

    /** The pushed image: {@code reference} with tag, and its manifest {@code digest}. */
    public record BuiltImage(String reference, String digest) {
    }

    public BuiltImage build(AppDetector.DetectedApp app, Path root, String repository, String tag,
                            Map<String, String> labels, Consumer<String> log) throws StageFailure {
        String reference = properties.registry() + "/" + repository + ":" + tag;
        String base = properties.baseImageFor(app.kind());
        try {
            JibContainer container = retry.executeCallable(() -> containerize(app, root, base, reference, labels, log));
            return new BuiltImage(reference, container.getDigest().toString());
        } catch (StageFailure failure) {
            throw failure;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (registryUnreachable(e)) {
                throw new StageFailure(ReasonCodes.REGISTRY_UNAVAILABLE, "the registry " + properties.registry()
                        + " did not answer after " + properties.attempts() + " tries (" + cause.getMessage()
                        + "); replay the push once it is back", true, e);
            }
            if (cause instanceof RegistryException && cause.getMessage() != null
                    && cause.getMessage().contains(repositoryOf(base))) {
                throw new StageFailure(ReasonCodes.BUILDER_IMAGE_UNAVAILABLE, "the base image " + base
                        + " cannot be pulled: " + cause.getMessage() + "; build the base images "
                        + "(scripts/base-images.sh) or configure slipway.staging.build.base-images", false, e);
            }
            throw new StageFailure(ReasonCodes.BUILD_FAILED, "building " + reference + " failed: "
                    + cause.getMessage(), false, e);
        }
    }

    /**
     * The image already pushed for this tag, if any: a stage that is delivered again after its image
     * went out is answered from the registry instead of being built twice.
     */
    public Optional<BuiltImage> existing(String repository, String tag) {
        String reference = properties.registry() + "/" + repository + ":" + tag;
        HttpRequest.Builder head = HttpRequest.newBuilder(URI.create((properties.insecure() ? "http" : "https") + "://"
                        + properties.registry() + "/v2/" + repository + "/manifests/" + tag))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
                        + "application/vnd.docker.distribution.manifest.v2+json");
        if (!properties.registryUsername().isBlank()) {
            head.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((properties.registryUsername()
                    + ":" + properties.registryPassword()).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<Void> response = HTTP.send(head.build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200
                    ? response.headers().firstValue("Docker-Content-Digest").map(digest -> new BuiltImage(reference, digest))
                    : Optional.empty();
        } catch (IOException unreachable) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private JibContainer containerize(AppDetector.DetectedApp app, Path root, String base, String reference,
                                      Map<String, String> labels, Consumer<String> log)
            throws InvalidImageReferenceException, IOException, InterruptedException, RegistryException,
            CacheDirectoryCreationException, ExecutionException {
        return Jib.from(withCredentials(RegistryImage.named(base)))
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("app")
                        // executable bits survive (Procfile scripts, CGI programs); everything else is 644
                        .addEntryRecursive(root, WORKSPACE, (source, target) -> Files.isDirectory(source)
                                || Files.isExecutable(source) ? EXECUTABLE : READABLE).build())
                .setWorkingDirectory(WORKSPACE)
                .setEnvironment(Map.of("PORT", "8080"))
                .setExposedPorts(Port.tcp(8080))
                .setEntrypoint(app.command())
                .setLabels(labels)
                .containerize(Containerizer.to(withCredentials(RegistryImage.named(reference)))
                        .setAllowInsecureRegistries(properties.insecure())
                        .setBaseImageLayersCache(cache.resolve("base"))
                        .setApplicationLayersCache(cache.resolve("app"))
                        .setToolName("slipway")
                        .addEventHandler(LogEvent.class, event -> {
                            if (event.getLevel().ordinal() <= LogEvent.Level.LIFECYCLE.ordinal()) {
                                log.accept(event.getMessage());
                            }
                        }));
    }

    private RegistryImage withCredentials(RegistryImage image) {
        return properties.registryUsername().isBlank() ? image
                : image.addCredential(properties.registryUsername(), properties.registryPassword());
    }

    /** {@code host:port/name:tag} -> {@code name}: how Jib names the image in its errors. */
    private static String repositoryOf(String image) {
        String withoutTag = image.contains("@") ? image.substring(0, image.indexOf('@'))
                : image.lastIndexOf(':') > image.lastIndexOf('/') ? image.substring(0, image.lastIndexOf(':')) : image;
        return withoutTag.substring(withoutTag.indexOf('/') + 1);
    }

    /** Connection-level failures: the registry is down or unreachable, so trying again may help. */
    static boolean registryUnreachable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof SocketTimeoutException
                    || cause instanceof UnknownHostException
                    || cause instanceof java.net.http.HttpConnectTimeoutException
                    || cause.getClass().getName().contains("HttpHostConnectException")) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
