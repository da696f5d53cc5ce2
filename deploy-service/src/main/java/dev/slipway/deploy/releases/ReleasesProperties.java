package dev.slipway.deploy.releases;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How deploy-service keeps each app's releases in {@code slipway.releases} ({@code slipway.releases.*}).
 *
 * @param kept    how many releases before the current one are kept per app (a bounded record: the
 *                whole entry is rewritten on every release)
 * @param timeout how long a deploy waits for the topic to be read on start, and for a write
 */
@ConfigurationProperties("slipway.releases")
public record ReleasesProperties(@DefaultValue("10") int kept, @DefaultValue("10s") Duration timeout) {

    public ReleasesProperties {
        if (kept < 0 || kept > 100) {
            throw new IllegalArgumentException("slipway.releases.kept must be between 0 and 100, was " + kept);
        }
    }
}
