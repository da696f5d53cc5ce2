package dev.slipway.staging.build;

import dev.slipway.events.BuildSettings;
import dev.slipway.events.ReasonCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the Dockerfile a source is built from: the one the push named ({@code --dockerfile PATH}), or a
 * {@code Dockerfile} at the top. The file must be a regular file inside the unpacked source, reached
 * without following any link: podman would read whatever a link points at, on the host.
 */
public final class Dockerfiles {

    /** The name looked for at the top of the source when the push names none. */
    public static final String DEFAULT = "Dockerfile";

    private Dockerfiles() {
    }

    /**
     * The Dockerfile to build from, empty when the push named none and the top has none. A named one
     * that is missing, escapes the source or is (or passes through) a link is refused.
     */
    public static Optional<Path> find(Path root, String named) throws StageFailure, IOException {
        if (named == null) {
            Path top = root.resolve(DEFAULT);
            if (Files.isSymbolicLink(top)) {
                throw linkRefused(DEFAULT);
            }
            return Files.isRegularFile(top, LinkOption.NOFOLLOW_LINKS) ? Optional.of(top) : Optional.empty();
        }
        try {
            BuildSettings.requireDockerfile(named);
        } catch (IllegalArgumentException refused) {
            throw new StageFailure(ReasonCodes.ARCHIVE_UNSAFE_PATH, refused.getMessage(), false);
        }
        Path realRoot = root.toRealPath();
        Path file = realRoot;
        for (Path step : Path.of(named)) {
            file = file.resolve(step.toString());
            if (Files.isSymbolicLink(file)) {
                throw linkRefused(named);
            }
        }
        if (!file.normalize().startsWith(realRoot)) {
            throw new StageFailure(ReasonCodes.ARCHIVE_UNSAFE_PATH, "the Dockerfile " + named + " is outside the "
                    + "source; name a file inside the pushed folder with --dockerfile", false);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new StageFailure(ReasonCodes.BUILDER_NOT_DETECTED, "the push names the Dockerfile " + named
                    + " but the source has no such file; check the path (relative to the pushed folder's top) given "
                    + "with --dockerfile or in slipway.yml", false);
        }
        return Optional.of(file);
    }

    private static StageFailure linkRefused(String named) {
        return new StageFailure(ReasonCodes.ARCHIVE_UNSAFE_LINK, "the Dockerfile " + named + " is a symbolic link "
                + "(or inside one); push the Dockerfile itself as a regular file", false);
    }
}
