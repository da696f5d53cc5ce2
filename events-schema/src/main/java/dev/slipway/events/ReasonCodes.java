package dev.slipway.events;

/**
 * The reason codes that {@code *.failed} events carry. Codes are stable: new ones may be added,
 * published ones are never renamed or reused for another meaning.
 */
public final class ReasonCodes {

    // staging: unpack
    public static final String ARCHIVE_UNSAFE_PATH = "ARCHIVE_UNSAFE_PATH";
    public static final String ARCHIVE_UNSAFE_LINK = "ARCHIVE_UNSAFE_LINK";
    public static final String ARCHIVE_SPECIAL_FILE = "ARCHIVE_SPECIAL_FILE";
    public static final String ARCHIVE_TOO_LARGE = "ARCHIVE_TOO_LARGE";
    public static final String ARCHIVE_CORRUPT = "ARCHIVE_CORRUPT";
    public static final String ARCHIVE_FORMAT_UNKNOWN = "ARCHIVE_FORMAT_UNKNOWN";
    /** A tar header (long name, PAX extended header) or entry name longer than any real source needs. */
    public static final String ARCHIVE_HEADER_TOO_LARGE = "ARCHIVE_HEADER_TOO_LARGE";
    // staging: fetch and build
    public static final String BLOB_NOT_FOUND = "BLOB_NOT_FOUND";
    public static final String STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE";
    public static final String BUILDER_NOT_DETECTED = "BUILDER_NOT_DETECTED";
    public static final String BUILDER_IMAGE_UNAVAILABLE = "BUILDER_IMAGE_UNAVAILABLE";
    public static final String BUILD_FAILED = "BUILD_FAILED";
    /** A Dockerfile's base image (a FROM line) could not be pulled; the message names the image. */
    public static final String BASE_IMAGE_UNAVAILABLE = "BASE_IMAGE_UNAVAILABLE";
    public static final String REGISTRY_UNAVAILABLE = "REGISTRY_UNAVAILABLE";
    public static final String SUPERSEDED = "SUPERSEDED";
    // staging: the stage worker's walls (each names the limit that ended the stage; never retryable)
    public static final String STAGE_MEMORY_LIMIT = "STAGE_MEMORY_LIMIT";
    public static final String STAGE_CPU_LIMIT = "STAGE_CPU_LIMIT";
    public static final String STAGE_TIMEOUT = "STAGE_TIMEOUT";
    public static final String STAGE_DISK_LIMIT = "STAGE_DISK_LIMIT";
    /** The staging machine's work folder is full: not the archive's fault; replay once space is freed. */
    public static final String STAGING_DISK_FULL = "STAGING_DISK_FULL";
    /** The stage worker died without reporting (killed, crashed). */
    public static final String STAGE_WORKER_DIED = "STAGE_WORKER_DIED";
    // any stage: its input was taken up again and again by a process that died each time
    public static final String STAGE_CRASHED = "STAGE_CRASHED";
    // deploy
    public static final String CHART_RENDER_FAILED = "CHART_RENDER_FAILED";
    public static final String IMAGE_PULL_FAILED = "IMAGE_PULL_FAILED";
    public static final String ROLLOUT_TIMEOUT = "ROLLOUT_TIMEOUT";
    public static final String RELEASE_NOT_FOUND = "RELEASE_NOT_FOUND";
    public static final String CLUSTER_UNAVAILABLE = "CLUSTER_UNAVAILABLE";
    /** The app asks for more memory than this runtime allows an instance (see AppMemory). */
    public static final String MEMORY_OVER_LIMIT = "MEMORY_OVER_LIMIT";
    // routing
    public static final String ROUTE_CONFLICT = "ROUTE_CONFLICT";
    public static final String ROUTE_INVALID = "ROUTE_INVALID";
    // walls on the Kubernetes path (never retryable: the same input is refused again)
    /** The push's builder image is not on {@code slipway.staging.kubernetes.allowed-builders}. */
    public static final String BUILDER_IMAGE_NOT_ALLOWED = "BUILDER_IMAGE_NOT_ALLOWED";
    /** A Helm release of the app's name exists and Slipway did not make it: it is left alone. */
    public static final String RELEASE_NOT_OWNED = "RELEASE_NOT_OWNED";
    /** The app's namespace is reserved ({@link ReservedNamespaces}): nothing is deployed there. */
    public static final String NAMESPACE_RESERVED = "NAMESPACE_RESERVED";

    private ReasonCodes() {
    }
}
