package dev.slipway.events;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How a push asks for its image to be built, beyond what the source says.
 *
 * @param sealedEnv  build-time env vars, each value sealed with the platform's secrets key
 *                   ({@link dev.slipway.events.secrets.SecretBox}): set while the build runs, never in
 *                   the image; only services holding the key open them
 * @param noCache    build from nothing: the app's build cache is not read (the new build fills it again)
 * @param dockerfile the Dockerfile to build from, relative to the source's top, or null: a
 *                   {@code Dockerfile} at the top is used when there is one
 */
public record BuildSettings(Map<String, String> sealedEnv, boolean noCache, String dockerfile) {

    /** At most this many build env vars per push. */
    public static final int MAX_ENV = 64;
    /** What a build env var's name may be: as a shell takes it. */
    public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern DOCKERFILE = Pattern.compile("[A-Za-z0-9._@+-]+(/[A-Za-z0-9._@+-]+)*");

    public static final BuildSettings NONE = new BuildSettings(Map.of(), false, null);

    public BuildSettings {
        sealedEnv = sealedEnv == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(sealedEnv));
        if (sealedEnv.size() > MAX_ENV) {
            throw new IllegalArgumentException("at most " + MAX_ENV + " build env vars, got " + sealedEnv.size());
        }
        sealedEnv.keySet().forEach(BuildSettings::requireEnvName);
        if (dockerfile != null) {
            requireDockerfile(dockerfile);
        }
    }

    /** Settings or {@link #NONE} for null: events written before builds had settings. */
    public static BuildSettings orNone(BuildSettings settings) {
        return settings == null ? NONE : settings;
    }

    public static String requireEnvName(String name) {
        if (name == null || !ENV_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("build env name " + name + " is not valid: letters, digits and _, "
                    + "not starting with a digit, at most 128 characters");
        }
        return name;
    }

    /** A path inside the source: relative, no {@code ..} or {@code .} step, at most 255 characters. */
    public static String requireDockerfile(String path) {
        if (path == null || path.length() > 255 || !DOCKERFILE.matcher(path).matches()
                || java.util.Arrays.stream(path.split("/")).anyMatch(step -> step.equals("..") || step.equals("."))) {
            throw new IllegalArgumentException("dockerfile " + path + " must be a relative path inside the source "
                    + "(letters, digits, . _ - + @ and /, no . or .. steps), at most 255 characters");
        }
        return path;
    }
}
