package dev.slipway.events;

/**
 * How an app's images are named, for every service that makes or expects one:
 * {@code <registry>/<namespace>-<app>:<stage id>}. The repository joins namespace and app so two
 * tenants' apps of the same name never share one; the tag is the push id that built it.
 */
public final class ImageNames {

    private ImageNames() {
    }

    /** {@code <namespace>-<app>}: the app's repository in the registry. */
    public static String repository(AppRef app) {
        return app.namespace() + "-" + app.name();
    }

    /** {@code <registry>/<namespace>-<app>:<stage id>}. */
    public static String image(String registry, AppRef app, String stageId) {
        return registry + "/" + repository(app) + ":" + stageId;
    }
}
