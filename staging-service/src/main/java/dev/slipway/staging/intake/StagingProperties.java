package dev.slipway.staging.intake;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Staging settings ({@code slipway.staging.*}).
 *
 * @param builder             builder kind: {@code jib} (in-process, no Docker) or {@code kubernetes} (a Job
 *                            running the buildpacks lifecycle)
 * @param defaultBuilderImage builder image used when a push names none
 */
@ConfigurationProperties("slipway.staging")
public record StagingProperties(@DefaultValue("jib") String builder,
                                @DefaultValue("paketobuildpacks/builder-jammy-full:latest") String defaultBuilderImage) {
}
