package dev.slipway.staging.kubernetes;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a failed Kaniko build means for the user, from the last lines it printed. */
final class KanikoFailures {

    /** Lines of the build's output a failure's message quotes. */
    static final int QUOTED_LINES = 15;
    /** Kaniko's last word: {@code error building image: <why>}. */
    private static final String ERROR = "error building image:";
    /** Newer Kaniko names the image in its error: {@code retrieving image "IMAGE": ...}. */
    private static final Pattern RETRIEVING_QUOTED = Pattern.compile("retrieving image \"([^\"]+)\"");
    /** Its progress lines before it pulls a base: {@code Retrieving image manifest IMAGE}, {@code Retrieving image IMAGE from registry R}. */
    private static final Pattern RETRIEVING = Pattern.compile("Retrieving image (?:manifest )?([^\\s\"]+)");
    /** What a registry answers (or fails to) when an image cannot be had. */
    private static final Pattern PULL_ERROR = Pattern.compile("UNAUTHORIZED|MANIFEST_UNKNOWN|NAME_UNKNOWN|DENIED"
            + "|NOT_FOUND|unexpected status code 40[134]|no such host|connection refused|i/o timeout"
            + "|x509:|/manifests/|/token\\?");
    /** Kaniko started on the Dockerfile's steps: a later registry error is not about a base image. */
    private static final Pattern STEPS_STARTED = Pattern.compile("Unpacking rootfs|Taking snapshot|Executing \\d+ build"
            + " triggers|^(?:.*msg=\")?(?:INFO\\[\\d+\\] )?(?:RUN|COPY|ADD|WORKDIR) ");

    private KanikoFailures() {
    }

    static StageFailure of(List<String> tail) {
        return baseImage(tail).orElseGet(() -> new StageFailure(ReasonCodes.BUILD_FAILED, "the Dockerfile build "
                + "failed in Kaniko; fix the step its log names and push again" + last(tail), false));
    }

    /** A {@code FROM} (or {@code COPY --from}) image that could not be had, named, with the way out. */
    static Optional<StageFailure> baseImage(List<String> tail) {
        String retrieving = null;
        for (String line : tail) {
            Matcher progress = RETRIEVING.matcher(line);
            if (progress.find()) {
                retrieving = progress.group(1);
            } else if (STEPS_STARTED.matcher(line).find()) {
                retrieving = null;
            }
            int error = line.indexOf(ERROR);
            if (error < 0) {
                continue;
            }
            String why = line.substring(error + ERROR.length()).strip();
            Matcher quoted = RETRIEVING_QUOTED.matcher(why);
            String image = quoted.find() ? quoted.group(1) : PULL_ERROR.matcher(why).find() ? retrieving : null;
            if (image != null) {
                return Optional.of(new StageFailure(ReasonCodes.BASE_IMAGE_UNAVAILABLE, "the base image " + image
                        + " cannot be pulled (" + shorter(why) + "); check the image's name and tag in the "
                        + "Dockerfile's FROM line and that the cluster can reach its registry without credentials "
                        + "(or that the operator gave Kaniko a pull secret that can read it)", false));
            }
        }
        return Optional.empty();
    }

    private static String shorter(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String last(List<String> tail) {
        if (tail.isEmpty()) {
            return "";
        }
        return "; its last lines:\n" + String.join("\n", tail.subList(Math.max(0, tail.size() - QUOTED_LINES),
                tail.size()));
    }
}
