package dev.slipway.staging.build.podman;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The walls of the builds the stage worker runs with podman ({@code slipway.staging.build-container.*}):
 * a language build's container, and each {@code RUN} step of a Dockerfile build.
 *
 * @param memory     memory of the build, swap included; past it the build is killed: {@code STAGE_MEMORY_LIMIT}
 * @param pids       processes and threads the build may have at once (a Dockerfile build: in a cgroup of
 *                   its own, where the worker may make cgroups; a fork bomb gets "can't fork")
 * @param openFiles  files each build process may hold open; at most the worker's own
 *                   ({@code slipway.staging.worker.open-files}), which a container cannot exceed
 * @param timeout    wall-clock time of the build container (a Dockerfile build: the build and its push); past
 *                   it the build is ended: {@code STAGE_TIMEOUT}.
 *                   Keep it under {@code slipway.staging.worker.timeout}, which also covers unpacking and pushing
 * @param podman     the podman command
 * @param ociRuntime the OCI runtime podman runs the build with
 * @param network    the bridge network builds run on (made on demand with netavark's {@code isolate}): it
 *                   reaches package registries, not this machine's loopback nor the apps' networks
 * @param image      a language build container's image; empty for {@code <registry>/slipway/base-busybox:1}
 */
@ConfigurationProperties("slipway.staging.build-container")
public record BuildContainerSettings(@DefaultValue("1GB") DataSize memory,
                                     @DefaultValue("1024") int pids,
                                     @DefaultValue("1024") int openFiles,
                                     @DefaultValue("8m") Duration timeout,
                                     @DefaultValue("podman") String podman,
                                     @DefaultValue("runc") String ociRuntime,
                                     @DefaultValue("slipway_build") String network,
                                     @DefaultValue("") String image) {

    public static final BuildContainerSettings DEFAULTS = new BuildContainerSettings(DataSize.ofGigabytes(1), 1024,
            1024, Duration.ofMinutes(8), "podman", "runc", "slipway_build", "");

    public BuildContainerSettings {
        if (memory == null || memory.toMegabytes() < 64) {
            throw new IllegalArgumentException("slipway.staging.build-container.memory must be at least 64MB");
        }
        if (pids < 16) {
            throw new IllegalArgumentException("slipway.staging.build-container.pids must be at least 16");
        }
        if (network == null || !network.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("slipway.staging.build-container.network '" + network
                    + "' cannot name a podman network");
        }
    }
}
