package dev.slipway.events;

/**
 * The labels that tell which app an instance belongs to, where apps run: deploy-service puts them on
 * what it starts, upload-service finds an app's instances (their state and logs) by them.
 *
 * <p>Local mode: every podman container of an app carries all of the {@code LOCAL_*} labels; the app
 * label's value is {@code <namespace>/<app>}, and the installation label keeps two installations on
 * one machine apart. A revision that runs no instance (an app scaled to zero) is recorded by a marker: a
 * container that is created and never started, with the revision's labels and {@link #INSTANCES} =
 * {@link #NO_INSTANCES} but no port; it counts for the revision numbers and is never an instance. On Kubernetes the application chart labels each pod with {@link #APP} = the
 * app's name (the pods live in the app's namespace), as {@code deploy/k8s/charts/application} does.
 */
public final class RuntimeLabels {

    /** The installation a container belongs to (local mode). */
    public static final String INSTALLATION = "slipway.dev/installation";
    /** The app: {@code <namespace>/<app>} on a local container, the app's name on a pod. */
    public static final String APP = "slipway.dev/app";
    /** The release's revision (local mode). */
    public static final String REVISION = "slipway.dev/revision";
    /** The port the instance listens on (local mode). */
    public static final String PORT = "slipway.dev/port";
    /** The image the instance runs (local mode). */
    public static final String IMAGE = "slipway.dev/image";
    /** The stage id of the image, empty for an image push. */
    public static final String STAGE_ID = "slipway.dev/stage-id";
    /** The deploy request's key: a fresh one per request, the same on its redelivery. */
    public static final String BLOB_UID = "slipway.dev/blob-uid";
    /** On the marker of a revision that runs no instance (local mode): {@link #NO_INSTANCES}. */
    public static final String INSTANCES = "slipway.dev/instances";
    /** The value of {@link #INSTANCES} on a revision's marker. */
    public static final String NO_INSTANCES = "0";
    /** On Kubernetes: the chart marks every object Slipway manages so. */
    public static final String MANAGED_BY = "slipway.dev/managed-by";

    private RuntimeLabels() {
    }

    /** Whether a local container with this {@link #INSTANCES} label's value (null for none) only marks a revision. */
    public static boolean marksRevisionOnly(String instancesLabel) {
        return NO_INSTANCES.equals(instancesLabel);
    }

    /** The value of {@link #APP} on a local container of {@code app}. */
    public static String localApp(AppRef app) {
        return app.namespace() + "/" + app.name();
    }
}
