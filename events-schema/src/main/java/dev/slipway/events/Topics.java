package dev.slipway.events;

/**
 * Kafka topics of the pipeline.
 *
 * <p>All event types share one topic keyed by blob uid, so every event of a push lands in one
 * partition and the topic itself is the push's ordered history: a stage's output is always after
 * its input. Each service reads the types it cares about and skips the rest.
 */
public final class Topics {

    /** The event log of every push. */
    public static final String EVENTS = "slipway.events";

    /**
     * The attempt ledger (compacted, keyed {@code <consumer group>/<event id>}, see {@link StageAttempt}):
     * a stage marks an input here before working on it and removes the mark once the work ended, so a
     * mark that stays is an attempt whose process died.
     */
    public static final String STAGE_ATTEMPTS = "slipway.stage-attempts";

    /**
     * The apps (compacted, keyed {@code <namespace>/<app>}): written by upload-service, which owns them;
     * read by deploy-service for each app's sealed configuration.
     */
    public static final String APPS = "slipway.apps";

    /**
     * The last state of each push (compacted, keyed by push id): written by upload-service's push
     * projection, so a push's status outlives the event log's retention.
     */
    public static final String PUSHES = "slipway.pushes";

    /**
     * The local router's table (compacted, keyed {@code <namespace>/<app>}: the app's routes and where
     * they lead): written by routing-service in local mode, read back on start.
     */
    public static final String ROUTES = "slipway.routes";

    /**
     * Each app's current release and its earlier revisions (compacted, keyed {@code <namespace>/<app>}):
     * written by deploy-service after every release and removal.
     */
    public static final String RELEASES = "slipway.releases";

    /**
     * Every stored source blob and its size (compacted, keyed {@code <namespace>/<app>/<blob uid>}, a
     * tombstone once the blob is deleted): written by upload-service; quota usage is its sum per
     * namespace, and the blob lifecycle keeps the newest of each app.
     */
    public static final String BLOBS = "slipway.blobs";

    private Topics() {
    }

    /**
     * Where a consumer group's poison records and exhausted retries go (the Kafka binder's naming,
     * {@code error.<topic>.<group>}), so replay knows which service gave up on a record.
     */
    public static String deadLetter(String consumerGroup) {
        return "error." + EVENTS + "." + consumerGroup;
    }
}
