package dev.slipway.events;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Every published event type. A type's name ends with its version: a published type never changes,
 * a new shape gets a new type.
 */
public enum EventType {
    BLOB_UPLOADED("dev.slipway.blob.uploaded.v1", BlobUploaded.class),
    STAGE_REQUESTED("dev.slipway.stage.requested.v1", StageRequested.class),
    STAGE_STARTED("dev.slipway.stage.started.v1", StageStarted.class),
    STAGE_STEP("dev.slipway.stage.step.v1", StageStepFinished.class),
    STAGE_LOG("dev.slipway.stage.log.v1", StageLogged.class),
    STAGE_SUCCEEDED("dev.slipway.stage.succeeded.v1", StageSucceeded.class),
    STAGE_FAILED("dev.slipway.stage.failed.v1", StageFailed.class),
    DEPLOY_REQUESTED("dev.slipway.deploy.requested.v1", DeployRequested.class),
    APP_DEPLOYED("dev.slipway.app.deployed.v1", AppDeployed.class),
    DEPLOY_FAILED("dev.slipway.deploy.failed.v1", DeployFailed.class),
    ROUTES_READY("dev.slipway.routes.ready.v1", RoutesReady.class),
    ROUTES_FAILED("dev.slipway.routes.failed.v1", RoutesFailed.class),
    APP_DELETED("dev.slipway.app.deleted.v1", AppDeleted.class),
    PUSH_QUEUED("dev.slipway.push.queued.v1", PushQueued.class),
    PUSH_SUPERSEDED("dev.slipway.push.superseded.v1", PushSuperseded.class);

    private final String type;
    private final Class<? extends EventData> dataClass;

    EventType(String type, Class<? extends EventData> dataClass) {
        this.type = type;
        this.dataClass = dataClass;
    }

    /** The CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    /** Classpath location of the JSON Schema of this type's {@code data}. */
    public String schemaResource() {
        return "schemas/" + type + ".json";
    }

    /** True for the types that end a pipeline run in failure. */
    public boolean isFailure() {
        return type.endsWith(".failed.v1");
    }

    public static EventType of(String type) {
        for (EventType candidate : values()) {
            if (candidate.type.equals(type)) {
                return candidate;
            }
        }
        throw new EventFormatException("unknown event type '" + type + "'; known types: "
                + Arrays.stream(values()).map(EventType::type).collect(Collectors.joining(", ")));
    }

    public static EventType of(EventData data) {
        for (EventType candidate : values()) {
            if (candidate.dataClass == data.getClass()) {
                return candidate;
            }
        }
        // unreachable while every permitted EventData class has a type; guarded by EventTypeTest
        throw new IllegalStateException("no event type for " + data.getClass().getName());
    }

    /**
     * The types a glob names: {@code *} stands for any run of characters, so
     * {@code dev.slipway.stage.*} is every staging event and {@code *failed*} every failure. Throws
     * when the glob names none, as a typo would otherwise match nothing silently. Linear in the
     * glob's length for each type ({@link Glob}); callers taking globs from users cap their length.
     */
    public static java.util.Set<EventType> matching(String glob) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("an event type or glob is required");
        }
        Glob pattern = Glob.of(glob.trim());
        java.util.Set<EventType> matched = java.util.EnumSet.noneOf(EventType.class);
        for (EventType type : values()) {
            if (pattern.matches(type.type)) {
                matched.add(type);
            }
        }
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("'" + glob + "' names no event type; types look like "
                    + STAGE_FAILED.type + " (globs such as dev.slipway.stage.* work)");
        }
        return matched;
    }
}
