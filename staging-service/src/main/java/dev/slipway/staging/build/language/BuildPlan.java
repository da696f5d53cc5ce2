package dev.slipway.staging.build.language;

import dev.slipway.staging.build.AppKind;
import java.util.List;
import java.util.Map;

/**
 * How one language project is built and run, decided from its files before anything runs: pure data,
 * so every choice is tested without podman.
 *
 * @param kind         the language; its wire name is the key of its runtime base in
 *                     {@code slipway.staging.build.base-images}
 * @param script       shell lines the build container runs in {@code /workspace}, stopping at the first failure
 * @param env          the toolchain's settings in the build container (caches under {@code /cache})
 * @param start        the image's entrypoint; empty for a JVM build, whose jar is only known once built
 * @param runtimeEnv   env of the image besides {@code PORT}
 * @param dependencies paths (relative to the source's top) that form the dependency layer: they change
 *                     less often than the app, so a warm push re-uploads only the app layer
 * @param appPaths     the paths of the app layer; empty for everything else in the source
 * @param excluded     paths left out of the image (build leftovers)
 * @param jarFolder    for a JVM build, the folder where the build leaves its one executable jar, else null
 * @param detail       what was chosen, in words, for the stage's log
 */
public record BuildPlan(AppKind kind, List<String> script, Map<String, String> env, List<String> start,
                        Map<String, String> runtimeEnv, List<String> dependencies, List<String> appPaths,
                        List<String> excluded, String jarFolder, String detail) {

    /** Where the source is, in the build container and in the image. */
    public static final String WORKSPACE = "/workspace";
    /** Where the app's build cache is, in the build container. */
    public static final String CACHE = "/cache";
    /** What a build makes that is not the user's own files (installed packages, binaries), under the source's top. */
    public static final String OUTPUT = ".slipway-build";

    public BuildPlan {
        script = List.copyOf(script);
        env = Map.copyOf(env);
        start = List.copyOf(start);
        runtimeEnv = Map.copyOf(runtimeEnv);
        dependencies = List.copyOf(dependencies);
        appPaths = List.copyOf(appPaths);
        excluded = List.copyOf(excluded);
    }

    public String baseImageKey() {
        return kind.wireName();
    }
}
