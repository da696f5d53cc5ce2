package dev.slipway.staging.worker;

import dev.slipway.staging.build.dockerfile.DockerfileBuildProperties;
import dev.slipway.staging.build.language.BuildContainerSettings;

/**
 * The walls of the two builds a stage worker runs in podman: a language build's container and a
 * Dockerfile build.
 */
public record BuilderSettings(BuildContainerSettings container, DockerfileBuildProperties dockerfile) {

    public static final BuilderSettings DEFAULTS = new BuilderSettings(BuildContainerSettings.DEFAULTS,
            DockerfileBuildProperties.DEFAULTS);

    public BuilderSettings {
        container = container == null ? BuildContainerSettings.DEFAULTS : container;
        dockerfile = dockerfile == null ? DockerfileBuildProperties.DEFAULTS : dockerfile;
    }
}
