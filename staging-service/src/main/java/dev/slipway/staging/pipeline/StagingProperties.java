package dev.slipway.staging.pipeline;

import dev.slipway.events.BuilderImages;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Staging settings ({@code slipway.staging.*}).
 *
 * @param builder             builder kind: {@code jib} (in-process, no Docker) or {@code kubernetes} (a Job
 *                            running the buildpacks lifecycle)
 * @param defaultBuilderImage builder image named in events when a push names none
 * @param workDir             where stages fetch and unpack; each stage's folder is removed when it ends
 * @param fetchAttempts       tries for a blob store that does not answer
 * @param fetchRetryWait      first wait between those tries, doubled each time
 */
@ConfigurationProperties("slipway.staging")
public record StagingProperties(@DefaultValue("jib") String builder,
                                @DefaultValue(BuilderImages.DEFAULT_IMAGE) String defaultBuilderImage,
                                @DefaultValue("") String workDir,
                                @DefaultValue("4") int fetchAttempts,
                                @DefaultValue("1s") Duration fetchRetryWait) {
}
