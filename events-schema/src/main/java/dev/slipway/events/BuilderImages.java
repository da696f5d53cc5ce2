package dev.slipway.events;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which builder images the kubernetes builder may run: the API refuses a push or replay naming any
 * other, and staging refuses it again before it makes a Job. A builder image runs the build of
 * every push that names it, so it is chosen by the operator ({@value #SETTING}), not by the pusher.
 *
 * <p>Patterns are exact references or globs where {@code *} stands for any run of characters except
 * {@code /}: {@code paketobuildpacks/builder-jammy-*} allows every tag of the paketo jammy builders,
 * but not {@code paketobuildpacks/builder-jammy-x/other}. A leading {@code docker.io/} is ignored
 * on both sides, so {@code docker.io/paketobuildpacks/...} and {@code paketobuildpacks/...} match alike.
 */
public final class BuilderImages {

    /** The builder image a push gets when it names none. */
    public static final String DEFAULT_IMAGE = "paketobuildpacks/builder-jammy-full:latest";
    /** The allow-list when the operator sets none: the paketo jammy builders, any tag or digest. */
    public static final String DEFAULT_ALLOWED = "paketobuildpacks/builder-jammy-*";
    /** The setting that lists the allowed builder images. */
    public static final String SETTING = "slipway.staging.kubernetes.allowed-builders";

    private static final int MAX_LENGTH = 255;
    /** An image reference as registries accept it: host[:port]/path[:tag][@digest], no spaces, no shell. */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "(?::[0-9]{1,5})?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
                    + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");

    private final List<String> patterns;

    private BuilderImages(List<String> patterns) {
        this.patterns = patterns.stream().map(String::trim).filter(pattern -> !pattern.isEmpty())
                .map(BuilderImages::withoutDockerHub).toList();
    }

    /** The operator's allow-list; an empty or missing one is {@link #DEFAULT_ALLOWED}. */
    public static BuilderImages allowing(List<String> patterns) {
        return new BuilderImages(patterns == null || patterns.isEmpty() ? List.of(DEFAULT_ALLOWED) : patterns);
    }

    /**
     * Why {@code image} may not run, or empty when it may: the message names the image, the setting and
     * what to do, for an API error or a failed stage alike.
     */
    public Optional<String> refusal(String image) {
        if (image == null || image.length() > MAX_LENGTH || !REFERENCE.matcher(image).matches()) {
            return Optional.of("builder image '" + shown(image) + "' is not an image reference (such as "
                    + DEFAULT_IMAGE + ")");
        }
        String candidate = withoutDockerHub(image);
        if (patterns.stream().anyMatch(pattern -> matches(pattern, candidate))) {
            return Optional.empty();
        }
        return Optional.of("builder image '" + image + "' is not allowed on this platform; allowed: "
                + String.join(", ", patterns) + " (" + SETTING + "). Push without a builder image to use "
                + DEFAULT_IMAGE + ", or ask the operator to allow this one");
    }

    public List<String> patterns() {
        return patterns;
    }

    private static String withoutDockerHub(String reference) {
        String lower = reference.toLowerCase(Locale.ROOT);
        for (String hub : List.of("docker.io/", "index.docker.io/", "registry-1.docker.io/")) {
            if (lower.startsWith(hub)) {
                return reference.substring(hub.length());
            }
        }
        return reference;
    }

    /** {@code *} never crosses a {@code /}: the path parts pair up one to one, each a plain glob. */
    static boolean matches(String pattern, String text) {
        String[] patternParts = pattern.split("/", -1);
        String[] textParts = text.split("/", -1);
        if (patternParts.length != textParts.length) {
            return false;
        }
        for (int i = 0; i < patternParts.length; i++) {
            if (!Glob.of(patternParts[i]).matches(textParts[i])) {
                return false;
            }
        }
        return true;
    }

    private static String shown(String image) {
        if (image == null) {
            return "";
        }
        String printable = image.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
