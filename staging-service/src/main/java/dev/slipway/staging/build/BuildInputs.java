package dev.slipway.staging.build;

import java.util.Map;

/**
 * What a push asked of its build, as the stage worker gets it (on its standard input only).
 *
 * @param env        build-time env vars, opened: set while the build runs, never in the image
 * @param noCache    build without the app's cache (it is emptied first, and the build fills it again)
 * @param dockerfile the Dockerfile to build from, relative to the source's top, or null for the default
 * @param cacheDir   the app's own build cache folder, or null for none
 */
public record BuildInputs(Map<String, String> env, boolean noCache, String dockerfile, String cacheDir) {

    public static final BuildInputs NONE = new BuildInputs(Map.of(), false, null, null);

    public BuildInputs {
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** Never the values: they may be credentials. */
    @Override
    public String toString() {
        return "BuildInputs[env=" + env.keySet() + ", noCache=" + noCache + ", dockerfile=" + dockerfile
                + ", cacheDir=" + cacheDir + "]";
    }
}
