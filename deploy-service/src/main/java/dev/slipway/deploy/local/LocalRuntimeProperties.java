package dev.slipway.deploy.local;

import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How apps run on this machine ({@code slipway.local.*}).
 *
 * @param podman          the podman command
 * @param ociRuntime      the OCI runtime podman uses ({@code runc} works where the default crun does not)
 * @param ports           range the instances' {@code PORT}s are taken from, {@code first-last}; each is
 *                        the app's port inside its container and, on 127.0.0.1 only, on the host
 * @param readyTimeout    how long new instances may take to answer HTTP before ROLLOUT_TIMEOUT
 * @param drain           how long the old instances keep running after the new ones are announced,
 *                        so the router has switched before they go
 * @param stopAppsOnExit  stop the apps' containers when the service stops, start them again when it starts
 * @param installation    name of this installation: podman's containers are shared by the whole
 *                        machine, so each installation sees only the containers labelled with its name
 * @param init            the init apps run under: {@code auto} (catatonit where podman installed it),
 *                        {@code none}, or the path of an init binary (see {@link ContainerInit})
 * @param appStopTimeout  how long an app has between SIGTERM and SIGKILL when it is stopped; apps are
 *                        stopped all at once, so stopping the service takes about this long in all
 * @param memory          memory of each instance, swap included; an instance over it is killed (exit 137)
 * @param pids            processes and threads each instance may have at once
 */
@ConfigurationProperties("slipway.local")
public record LocalRuntimeProperties(@DefaultValue("podman") String podman, @DefaultValue("runc") String ociRuntime,
                                     @DefaultValue("20000-29999") String ports,
                                     @DefaultValue("2m") Duration readyTimeout, @DefaultValue("3s") Duration drain,
                                     @DefaultValue("true") boolean stopAppsOnExit,
                                     @DefaultValue("default") String installation,
                                     @DefaultValue("auto") String init,
                                     @DefaultValue("2s") Duration appStopTimeout,
                                     @DefaultValue("512MB") DataSize memory, @DefaultValue("256") int pids) {

    /** What each instance may use. */
    AppLimits limits() {
        return new AppLimits(memory.toBytes(), pids);
    }

    int firstPort() {
        return Integer.parseInt(ports.split("-")[0].trim());
    }

    int lastPort() {
        return Integer.parseInt(ports.split("-")[1].trim());
    }
}
