package dev.slipway.cli.push;

import dev.slipway.cli.CliException;
import dev.slipway.events.BuildSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a push asks of its build, from slipway.yml and the flags (flags win, per variable), checked with
 * the platform's own rules before anything is uploaded.
 *
 * @param env        build env vars in clear (the server seals them)
 * @param noCache    build without the app's cache
 * @param dockerfile the Dockerfile, relative to the source's top, or null
 */
record BuildRequest(Map<String, String> env, boolean noCache, String dockerfile) {

    /**
     * @param flags       {@code --build-env} values: {@code K=V}, or {@code K} to take the value from
     *                    {@code environment} (this shell's)
     * @param folder      the pushed folder, to check a Dockerfile is there; null for an archive
     */
    static BuildRequest of(Map<String, String> manifestEnv, List<String> flags, Function<String, String> environment,
                           boolean noCache, String dockerfile, Path folder) {
        Map<String, String> env = new LinkedHashMap<>();
        if (manifestEnv != null) {
            env.putAll(manifestEnv);
        }
        for (String flag : flags == null ? List.<String>of() : flags) {
            int equals = flag.indexOf('=');
            String name = equals < 0 ? flag : flag.substring(0, equals);
            String value = equals < 0 ? environment.apply(name) : flag.substring(equals + 1);
            if (value == null) {
                throw CliException.usage("--build-env " + shortened(name) + ": no value given and " + shortened(name)
                        + " is not set in this shell; write --build-env " + shortened(name) + "=VALUE or export it");
            }
            env.put(name, value);
        }
        try {
            BuildSettings.requirePlainEnv(env);
            String relative = dockerfile == null ? null : BuildSettings.requireDockerfile(relative(dockerfile, folder));
            if (relative != null && folder != null && !Files.isRegularFile(folder.resolve(relative))) {
                throw CliException.usage("--dockerfile " + relative + " is not a file in " + folder
                        + "; name it relative to the folder you push");
            }
            return new BuildRequest(env, noCache, relative);
        } catch (IllegalArgumentException invalid) {
            throw CliException.usage(invalid.getMessage());
        }
    }

    /** The fields of the stage request; nothing when the push asks nothing of its build. */
    void addTo(Map<String, Object> stageRequest) {
        if (!env.isEmpty()) {
            stageRequest.put("build_env", env);
        }
        if (noCache) {
            stageRequest.put("no_cache", true);
        }
        if (dockerfile != null) {
            stageRequest.put("dockerfile", dockerfile);
        }
    }

    boolean asksAnything() {
        return !env.isEmpty() || noCache || dockerfile != null;
    }

    /** A path inside the pushed folder as the server takes it: relative, with / between steps. */
    private static String relative(String dockerfile, Path folder) {
        String path = dockerfile;
        if (folder != null && Path.of(dockerfile).isAbsolute()) {
            Path inside = folder.toAbsolutePath().normalize().relativize(Path.of(dockerfile).normalize());
            path = inside.toString();
        }
        path = path.replace('\\', '/');
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        return path;
    }

    private static String shortened(String name) {
        return name.length() > 64 ? name.substring(0, 64) + "..." : name;
    }

    /** Never the values: they may be credentials. */
    @Override
    public String toString() {
        return "BuildRequest[env=" + env.keySet() + ", noCache=" + noCache + ", dockerfile=" + dockerfile + "]";
    }
}
