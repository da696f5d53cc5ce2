package dev.slipway.staging.build;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the jib builder builds and where it pushes ({@code slipway.staging.build.*}).
 *
 * @param registry         registry host[:port] images are pushed to: {@code <registry>/<ns>-<app>:<stage id>}
 * @param registryUsername registry user, or empty for an open registry
 * @param registryPassword registry password (never logged)
 * @param insecure         allow plain HTTP to the registry (a local registry)
 * @param baseImages       base image per app kind (static, jar, procfile)
 * @param attempts         tries for a registry that does not answer, before REGISTRY_UNAVAILABLE
 * @param retryWait        first wait between tries; doubled each time
 * @param cacheDir         Jib's layer cache, shared between builds
 */
@ConfigurationProperties("slipway.staging.build")
public record BuildProperties(@DefaultValue("127.0.0.1:5000") String registry, @DefaultValue("") String registryUsername,
                              @DefaultValue("") String registryPassword, @DefaultValue("true") boolean insecure,
                              @DefaultValue Map<String, String> baseImages,
                              @DefaultValue("4") int attempts, @DefaultValue("1s") Duration retryWait,
                              @DefaultValue("") String cacheDir) {

    public String baseImageFor(AppKind kind) {
        String image = baseImages.get(kind.wireName());
        if (image == null) {
            throw new IllegalStateException("no base image configured for " + kind.wireName()
                    + ": set slipway.staging.build.base-images." + kind.wireName());
        }
        return image;
    }

    /** The same settings with Jib's layer cache in {@code cacheDir}. */
    public BuildProperties withCacheDir(java.nio.file.Path cacheDir) {
        return new BuildProperties(registry, registryUsername, registryPassword, insecure, baseImages, attempts,
                retryWait, cacheDir.toString());
    }

    @Override
    public String toString() {
        return "BuildProperties[registry=" + registry + ", user=" + registryUsername + ", baseImages=" + baseImages + "]";
    }
}
