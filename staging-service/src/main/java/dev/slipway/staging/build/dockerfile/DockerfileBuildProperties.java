package dev.slipway.staging.build.dockerfile;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the local builder builds a Dockerfile ({@code slipway.staging.dockerfile.*}): {@code podman build},
 * started by the stage worker, each {@code RUN} step in a container behind these walls.
 *
 * @param podmanCommand the podman binary
 * @param runtime       the OCI runtime {@code RUN} steps run with
 * @param memory        memory of each {@code RUN} step, swap included (a hard limit); past it the step is
 *                      killed and the stage fails with {@code STAGE_MEMORY_LIMIT}
 * @param pids          processes the whole build may have at once (a cgroup of the build's own; enforced
 *                      where the worker may make cgroups, as root on cgroup v1 or with the pids controller
 *                      delegated on cgroup v2); a fork bomb gets "can't fork"
 * @param network       the isolated bridge {@code RUN} steps are on (made on demand with netavark's
 *                      {@code isolate=true}): the internet, not the host's loopback nor the apps
 * @param timeout       the whole build and push; keep it under {@code slipway.staging.worker.timeout}
 */
@ConfigurationProperties("slipway.staging.dockerfile")
public record DockerfileBuildProperties(@DefaultValue("podman") String podmanCommand,
                                        @DefaultValue("runc") String runtime,
                                        @DefaultValue("1GB") DataSize memory,
                                        @DefaultValue("512") int pids,
                                        @DefaultValue("slipway_build") String network,
                                        @DefaultValue("8m") Duration timeout) {

    public static final DockerfileBuildProperties DEFAULTS = new DockerfileBuildProperties("podman", "runc",
            DataSize.ofGigabytes(1), 512, "slipway_build", Duration.ofMinutes(8));

    public DockerfileBuildProperties {
        if (memory.toMegabytes() < 16) {
            throw new IllegalArgumentException("slipway.staging.dockerfile.memory must be at least 16MB");
        }
        if (pids < 8) {
            throw new IllegalArgumentException("slipway.staging.dockerfile.pids must be at least 8");
        }
        if (!network.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}")) {
            throw new IllegalArgumentException("slipway.staging.dockerfile.network must be a podman network name");
        }
    }
}
