package dev.slipway.upload.runtime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The part of deploy-service's {@code slipway.local.*} that reading apps on this machine needs: the
 * same podman, and the same installation name, whose containers alone are this platform's.
 */
@ConfigurationProperties("slipway.local")
record LocalRuntimeSettings(@DefaultValue("podman") String podman, @DefaultValue("runc") String ociRuntime,
                            @DefaultValue("default") String installation) {
}
