package dev.slipway.staging.build;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
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
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.slipway.staging.unpack.SourceFile;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Builds an app image with Jib, without Docker, in the stage worker's process: the unpacked app
 * becomes one layer under {@code /workspace} on top of the base image of its kind, pushed straight
 * to the registry. The layer is the unpacker's file list, never a walk that follows links (a link
 * to {@code .} would never end). An unreachable registry is tried again with back-off before the stage fails as
 * REGISTRY_UNAVAILABLE.
 */
public final class JibImages {

    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
    private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");

    static final AbsoluteUnixPath WORKSPACE = AbsoluteUnixPath.get("/workspace");

    private final BuildProperties properties;
    private final Retry retry;
    private final Path cache;

    public JibImages(BuildProperties properties) throws IOException {
        this.properties = properties;
        this.retry = Retry.of("registry", RetryConfig.custom()
                .maxAttempts(properties.attempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.retryWait(), 2))
                .retryOnException(JibImages::registryUnreachable)
                .build());
        this.cache = properties.cacheDir().isBlank() ? Files.createTempDirectory("slipway-jib-cache")
                : Files.createDirectories(Path.of(properties.cacheDir()));
    }

    /** The pushed image: {@code reference} with tag, and its manifest {@code digest}. */
    public record BuiltImage(String reference, String digest) {
    }

    public BuiltImage build(AppDetector.DetectedApp app, List<SourceFile> files, String reference,
                            Map<String, String> labels, Path appLayerCache, Consumer<String> log) throws StageFailure {
        return build(new ImageSpec(properties.baseImageFor(app.kind()), List.of(appLayer(files)), app.command(),
                Map.of()), reference, labels, appLayerCache, log);
    }

    /**
     * What goes into an image: its base, the layers on top in order, the entrypoint, and env besides
     * {@code PORT}.
     */
    public record ImageSpec(String base, List<FileEntriesLayer> layers, List<String> entrypoint,
                            Map<String, String> env) {
    }

    /** The base image configured for {@code kind} ({@code slipway.staging.build.base-images}). */

    public BuiltImage build(ImageSpec image, String reference, Map<String, String> labels, Path appLayerCache,
                            Consumer<String> log) throws StageFailure {
        String base = image.base();
        try {
            JibContainer container = retry.executeCallable(() -> containerize(image, reference, labels,
                    appLayerCache, log));
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
     * The app's files under {@code /workspace}, from the unpacker's list: walked without following
     * links, each link already resolved to the regular file inside the app it points at. Executable
     * bits survive (Procfile scripts, CGI programs); everything else is 644.
     */
    public static FileEntriesLayer appLayer(List<SourceFile> files) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("app");
        for (SourceFile file : files) {
            layer.addEntry(file.content(), WORKSPACE.resolve(file.path()),
                    file.directory() || file.executable() ? EXECUTABLE : READABLE);
        }
        return layer.build();
    }

    private JibContainer containerize(ImageSpec image, String reference, Map<String, String> labels,
                                      Path appLayerCache, Consumer<String> log)
            throws InvalidImageReferenceException, IOException, InterruptedException, RegistryException,
            CacheDirectoryCreationException, ExecutionException {
        Map<String, String> env = new java.util.TreeMap<>(image.env());
        env.put("PORT", "8080");
        JibContainerBuilder builder = Jib.from(withCredentials(RegistryImage.named(image.base())));
        image.layers().forEach(builder::addFileEntriesLayer);
        return builder
                .setWorkingDirectory(WORKSPACE)
                .setEnvironment(env)
                .setExposedPorts(Port.tcp(8080))
                .setEntrypoint(image.entrypoint())
                .setLabels(labels)
                .containerize(Containerizer.to(withCredentials(RegistryImage.named(reference)))
                        .setAllowInsecureRegistries(properties.insecure())
                        .setBaseImageLayersCache(cache.resolve("base"))
                        .setApplicationLayersCache(appLayerCache)
                        .setToolName("slipway")
                        .addEventHandler(LogEvent.class, event -> {
                            if (event.getLevel().ordinal() <= LogEvent.Level.LIFECYCLE.ordinal()
                                    && !(properties.insecure() && expectedFailover(event.getMessage()))) {
                                log.accept(event.getMessage());
                            }
                        }));
    }

    /**
     * Jib's note that it tries a registry again over plain HTTP or without TLS verification: on a
     * registry the operator declared insecure this is how every build goes, and in the user's build
     * log it only reads like a fault.
     */
    static boolean expectedFailover(String message) {
        return message != null && (message.startsWith("Failed to connect to ") && message.endsWith(
                " over HTTPS. Attempting again with HTTP.") || message.startsWith("Cannot verify server at ")
                && message.endsWith(". Attempting again with no TLS verification."));
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
