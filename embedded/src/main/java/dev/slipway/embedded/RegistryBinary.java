package dev.slipway.embedded;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds Debian's {@code docker-registry} (distribution 2.8), or says how to install it. */
final class RegistryBinary {

    /** Names another binary, for machines where the registry is not on the PATH. */
    static final String OVERRIDE_ENV = "SLIPWAY_DOCKER_REGISTRY";
    private static final String NAME = "docker-registry";

    private RegistryBinary() {
    }

    static String locate() {
        String configured = System.getenv(OVERRIDE_ENV);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        // Debian installs into /usr/bin; services started outside a login shell may have a bare PATH
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/bin", "/usr/sbin"))
                .filter(folder -> !folder.isBlank())
                .map(folder -> Path.of(folder, NAME))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(NAME + " is not installed: run "
                        + "'sudo apt-get install -y docker-registry' (or scripts/setup-debian.sh), or set "
                        + OVERRIDE_ENV + " to its path"));
    }
}
