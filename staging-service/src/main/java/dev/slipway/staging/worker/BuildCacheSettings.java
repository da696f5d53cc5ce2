package dev.slipway.staging.worker;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The apps' build caches ({@code slipway.staging.build-cache.*}), under {@code <work-dir>/build-cache}.
 *
 * @param maxSize an app's cache larger than this after a build is emptied (the next build fills it again)
 */
@ConfigurationProperties("slipway.staging.build-cache")
public record BuildCacheSettings(@DefaultValue("2GB") DataSize maxSize) {

    public BuildCacheSettings {
        if (maxSize.toBytes() < 0) {
            throw new IllegalArgumentException("slipway.staging.build-cache.max-size must not be negative");
        }
    }
}
