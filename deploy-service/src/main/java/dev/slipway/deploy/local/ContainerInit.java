package dev.slipway.deploy.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The init process apps run under ({@code podman run --init}). An app such as busybox httpd, run as
 * PID 1, ignores SIGTERM, since the kernel gives PID 1 no default action for it: {@code podman stop}
 * then waits its whole timeout and kills. A small init (catatonit, which Debian's podman ships) is
 * PID 1 instead and hands SIGTERM on, so an app stops as soon as it is asked.
 */
final class ContainerInit {

    static final String AUTO = "auto";
    static final String NONE = "none";
    /** Where Debian's podman and the catatonit package put it; podman's own default comes first. */
    static final List<Path> PLACES = List.of(Path.of("/usr/libexec/podman/catatonit"),
            Path.of("/usr/bin/catatonit"), Path.of("/usr/libexec/catatonit/catatonit"));

    private static final Logger log = LoggerFactory.getLogger(ContainerInit.class);

    private ContainerInit() {
    }

    /**
     * The init binary for {@code slipway.local.init}: {@value #AUTO} finds catatonit, {@value #NONE} runs
     * apps without an init, anything else is the path of one. Empty, with a log line saying what
     * that costs, when none is to be had.
     */
    static Optional<Path> resolve(String setting) {
        if (NONE.equals(setting)) {
            return Optional.empty();
        }
        List<Path> candidates = AUTO.equals(setting) ? PLACES : List.of(Path.of(setting));
        Optional<Path> found = candidates.stream().filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            log.warn("no container init at {} (catatonit, installed with podman on Debian): apps run as PID 1 "
                    + "without one, and an app that ignores SIGTERM as PID 1 (busybox httpd does) is killed "
                    + "only after slipway.local.app-stop-timeout", candidates);
        }
        return found;
    }
}
