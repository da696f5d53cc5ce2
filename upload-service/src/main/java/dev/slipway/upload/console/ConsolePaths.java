package dev.slipway.upload.console;

/**
 * Where the web console lives. Its files hold no data (every figure comes from the API, with the
 * caller's session), so they are served without credentials; nothing else is.
 */
public final class ConsolePaths {

    /** The console's entry page. */
    public static final String HOME = "/console/";

    /**
     * The paths GET may fetch without credentials: the root (a redirect), the console's folder and
     * the files directly in it. One level only, so no other resource is opened up by accident.
     */
    public static final String[] PUBLIC = {"/", "/console", HOME, "/console/*"};

    private ConsolePaths() {
    }
}
