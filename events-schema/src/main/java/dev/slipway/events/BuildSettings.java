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
    /** At most this many bytes (UTF-8) of build env values per push, all values together, before sealing. */
    public static final int MAX_ENV_BYTES = 32 * 1024;
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
            throw new IllegalArgumentException("build env name " + shown(name) + " is not valid: letters, digits and _, "
                    + "not starting with a digit, at most 128 characters");
        }
        return name;
    }

    /**
     * A build env value as a push may give it: one line of text. A NUL cannot be in a process's
     * environment, and a line break would end the value early in the env file a build is given (and
     * start another variable), so both are refused; multi-line values (keys, certificates) go base64-encoded.
     */
    public static String requireEnvValue(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("build env " + name + " has no value");
        }
        if (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("build env " + name + " must be one line without NUL characters; "
                    + "base64-encode a multi-line value and decode it in the build");
        }
        return value;
    }

    /** Plain values (before sealing) within {@link #MAX_ENV} vars and {@link #MAX_ENV_BYTES} bytes, each valid. */
    public static Map<String, String> requirePlainEnv(Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        if (env.size() > MAX_ENV) {
            throw new IllegalArgumentException("at most " + MAX_ENV + " build env vars, got " + env.size());
        }
        long bytes = 0;
        for (Map.Entry<String, String> entry : env.entrySet()) {
            requireEnvName(entry.getKey());
            requireEnvValue(entry.getKey(), entry.getValue());
            bytes += entry.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_ENV_BYTES) {
            throw new IllegalArgumentException("build env values come to " + bytes + " bytes; at most "
                    + MAX_ENV_BYTES + " in all");
        }
        return env;
    }

    /** A path inside the source: relative, no {@code ..} or {@code .} step, at most 255 characters. */
    public static String requireDockerfile(String path) {
        if (path == null || path.length() > 255 || !DOCKERFILE.matcher(path).matches()
                || java.util.Arrays.stream(path.split("/")).anyMatch(step -> step.equals("..") || step.equals("."))) {
            throw new IllegalArgumentException("dockerfile " + shown(path) + " must be a relative path inside the source "
                    + "(letters, digits, . _ - + @ and /, no . or .. steps), at most 255 characters");
        }
        return path;
    }

    /** A refused name as an error shows it: short, whatever its length. */
    private static String shown(String text) {
        return text == null ? "null" : "'" + (text.length() > 64 ? text.substring(0, 64) + "...'" : text + "'");
    }
}
