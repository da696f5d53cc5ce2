package dev.slipway.staging.build.dockerfile;

import dev.slipway.staging.build.podman.BuildContainerSettings;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.build.podman.PodmanCli;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a failed {@code podman build} means for the user, from its exit and its last lines. */
final class BuildFailures {

    /** Lines of the build's output a failure's message quotes. */
    static final int QUOTED_LINES = 15;
    /** podman: {@code creating build container: initializing source docker://IMAGE: <why>}. */
    private static final Pattern UNPULLABLE = Pattern.compile("creating build container: .*?docker://(\\S+?): (.*)");
    /** containers/image's policy: {@code Running image TRANSPORT:IMAGE is rejected by policy}. */
    private static final Pattern REJECTED = Pattern.compile("Running image (\\S+) is rejected by policy");
    /** buildah: an image {@code COPY --from} names that could not be had (refused by the policy, or absent). */
    private static final Pattern COPY_FROM = Pattern.compile("^Error: COPY --from=(\\S+): no stage or image found");
    /**
     * The step a build failed at. A step killed (runc: {@code container exited on killed}) met the kernel's
     * OOM killer at its memory limit: the build's own deadline ends podman itself, not a step.
     */
    private static final Pattern STEP = Pattern.compile("building at STEP \"(.*)\": ");

    private BuildFailures() {
    }

    static StageFailure of(PodmanCli.Result result, BuildContainerSettings settings) {
        List<String> tail = result.tail();
        if (result.timedOut()) {
            return new StageFailure(ReasonCodes.STAGE_TIMEOUT, "the Dockerfile build did not finish within "
                    + settings.timeout().toSeconds() + "s and was stopped; make the build faster, or raise "
                    + "slipway.staging.build-container.timeout (and slipway.staging.worker.timeout above it)" + last(tail),
                    false);
        }
        // the build's own steps print what they like into the same stream: only podman's closing error
        // line (and the runtime's line just before it) say why the build ended
        List<String> podmanSays = podmanError(tail);
        Optional<StageFailure> base = baseImage(podmanSays.isEmpty() ? List.of()
                : podmanSays.subList(podmanSays.size() - 1, podmanSays.size()));
        if (base.isPresent()) {
            return base.get();
        }
        if (podmanSays.size() == 2 && podmanSays.get(0).strip().equals("container exited on killed")) {
            Matcher step = STEP.matcher(podmanSays.get(1));
            if (step.find()) {
                return new StageFailure(ReasonCodes.STAGE_MEMORY_LIMIT, "the build step " + step.group(1)
                        + " was killed at the build's memory limit of " + settings.memory().toMegabytes()
                        + " MB; make the step use less memory, or raise slipway.staging.build-container.memory" + last(tail),
                        false);
            }
        }
        return new StageFailure(ReasonCodes.BUILD_FAILED, "the Dockerfile build failed (podman exit "
                + result.exitCode() + "); fix the step its log names and push again" + last(tail), false);
    }

    /** podman pull: {@code Error: initializing source docker://IMAGE: <why>}. */
    private static final Pattern PULL = Pattern.compile("^Error: initializing source docker://(\\S+?): (.*)");

    /** A base image the worker's own pull (before the build) could not have, from podman's closing line. */
    static StageFailure unpullable(String image, PodmanCli.Result result) {
        List<String> podmanSays = podmanError(result.tail());
        String last = podmanSays.isEmpty() ? "" : podmanSays.get(podmanSays.size() - 1);
        Optional<StageFailure> named = baseImage(podmanSays.isEmpty() ? List.of() : List.of(last));
        if (named.isPresent()) {
            return named.get();
        }
        Matcher pull = PULL.matcher(last);
        return new StageFailure(ReasonCodes.BASE_IMAGE_UNAVAILABLE, "the base image " + image + " cannot be pulled ("
                + (pull.find() ? pull.group(2) : last.isEmpty() ? "podman exit " + result.exitCode() : last)
                + "); check the image's name and tag in the Dockerfile's FROM line and that its registry is reachable "
                + "from this machine (public registries may not be), or start from the platform's own base: "
                + "ARG SLIPWAY_REGISTRY, then FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1", false);
    }

    /** A FROM (or {@code COPY --from}) image that could not be had, named, with the way out. */
    static Optional<StageFailure> baseImage(List<String> tail) {
        for (String line : tail) {
            Matcher rejected = REJECTED.matcher(line);
            if (rejected.find()) {
                return Optional.of(new StageFailure(ReasonCodes.BASE_IMAGE_UNAVAILABLE, "the base image "
                        + rejected.group(1) + " may not be used: builds take base images from registries only, and "
                        + "from the platform's registry only its slipway/ base images and this app's own images; "
                        + "start the Dockerfile with FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1 or an image "
                        + "from a public registry", false));
            }
            Matcher copyFrom = COPY_FROM.matcher(line);
            if (copyFrom.find()) {
                return Optional.of(new StageFailure(ReasonCodes.BASE_IMAGE_UNAVAILABLE, "the image "
                        + copyFrom.group(1) + " in COPY --from is no earlier stage and may not be used or cannot be "
                        + "pulled: builds take images from registries only, and from the platform's registry only its "
                        + "slipway/ base images and this app's own images; name a stage of this Dockerfile or an image "
                        + "from a public registry", false));
            }
            Matcher unpullable = UNPULLABLE.matcher(line);
            if (unpullable.find()) {
                return Optional.of(new StageFailure(ReasonCodes.BASE_IMAGE_UNAVAILABLE, "the base image "
                        + unpullable.group(1) + " cannot be pulled (" + unpullable.group(2) + "); check the image's "
                        + "name and tag in the Dockerfile's FROM line and that its registry is reachable from this "
                        + "machine (public registries may not be), or start from the platform's own base: "
                        + "ARG SLIPWAY_REGISTRY, then FROM ${SLIPWAY_REGISTRY}/slipway/base-busybox:1", false));
            }
        }
        return Optional.empty();
    }

    /**
     * podman's own account of the failure: its last line when that is an {@code Error:} line (podman prints
     * it after the build has ended, so no step can print after it), with the line before it; else nothing.
     */
    static List<String> podmanError(List<String> tail) {
        if (tail.isEmpty() || !tail.get(tail.size() - 1).startsWith("Error: ")) {
            return List.of();
        }
        return tail.subList(Math.max(0, tail.size() - 2), tail.size());
    }

    private static String last(List<String> tail) {
        if (tail.isEmpty()) {
            return "";
        }
        return "; its last lines:\n" + String.join("\n", tail.subList(Math.max(0, tail.size() - QUOTED_LINES),
                tail.size()));
    }
}
