package dev.slipway.events.spring;

import dev.slipway.events.BuilderImages;
import dev.slipway.events.ReservedNamespaces;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Walls that the API and the stage behind it both enforce, so both read the same settings.
 */
public final class WallSettings {

    private WallSettings() {
    }

    /** {@code slipway.staging.kubernetes.allowed-builders}: see {@link BuilderImages}. */
    @ConfigurationProperties("slipway.staging.kubernetes")
    public record AllowedBuilders(@DefaultValue(BuilderImages.DEFAULT_ALLOWED) List<String> allowedBuilders) {

        public BuilderImages policy() {
            return BuilderImages.allowing(allowedBuilders);
        }
    }

    /** {@code slipway.namespaces.reserved}: namespaces reserved beyond {@link ReservedNamespaces#ALWAYS}. */
    @ConfigurationProperties("slipway.namespaces")
    public record Reserved(@DefaultValue("") List<String> reserved) {

        public ReservedNamespaces policy() {
            return ReservedNamespaces.with(reserved);
        }
    }
}
