package dev.slipway.upload.push;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppState;
import dev.slipway.events.BuildSettings;
import dev.slipway.events.BlobKeys;
import dev.slipway.events.DeployAction;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.ImageNames;
import dev.slipway.events.StageRequested;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.upload.api.ApiException;
import dev.slipway.upload.apps.AppAccess;
import dev.slipway.upload.apps.AppStore;
import dev.slipway.upload.apps.RouteNames;
import dev.slipway.upload.auth.Caller;
import dev.slipway.upload.eventlog.PushRequests;
import dev.slipway.upload.status.PushState;
import dev.slipway.upload.status.PushStates;
import dev.slipway.upload.store.BlobStore;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Epinio's push endpoints on the event log: stage, staging completion, deploy, and the async
 * deployments. Each answers the moment its event is on the broker; the push id is that event's id.
 */
@RestController
class PushController {

    private final AppStore apps;
    private final AppAccess access;
    private final PushRequests requests;
    private final PushStates pushes;
    private final BlobStore blobs;
    private final RouteNames routeNames;
    private final String registry;
    private final Duration completeTimeout;
    private final BuildRequests buildRequests;

    PushController(AppStore apps, AppAccess access, PushRequests requests, PushStates pushes, BlobStore blobs,
                   RouteNames routeNames, @Value("${slipway.registry:127.0.0.1:5000}") String registry,
                   @Value("${slipway.staging.complete-timeout:10m}") Duration completeTimeout, SecretBox secrets) {
        this.apps = apps;
        this.access = access;
        this.requests = requests;
        this.pushes = pushes;
        this.blobs = blobs;
        this.routeNames = routeNames;
        this.registry = registry;
        this.completeTimeout = completeTimeout;
        this.buildRequests = new BuildRequests(secrets);
    }

    record AppName(String name, String namespace) {
    }

    /**
     * @param buildEnv   build-time env vars in clear; sealed before they reach the event log
     * @param noCache    build without the app's build cache
     * @param dockerfile the Dockerfile to build from, relative to the source's top
     */
    record StageRequest(AppName app, String blobuid, String builderimage,
                        @JsonProperty("build_env") Map<String, String> buildEnv,
                        @JsonProperty("no_cache") Boolean noCache, String dockerfile) {

        BuildSettings build(BuildRequests requests) {
            return requests.sealed(buildEnv, noCache, dockerfile);
        }
    }

    record StageId(String id) {
    }

    record StageResponse(StageId stage, String image) {
    }

    record DeployRequest(AppName app, StageId stage, String image, Map<String, Object> origin) {
    }

    record DeployResponse(List<String> routes, List<String> warnings) {
    }

    record DeploymentRequest(AppName app, String blobuid, String image, String builderimage,
                             Map<String, Object> origin, @JsonProperty("build_env") Map<String, String> buildEnv,
                             @JsonProperty("no_cache") Boolean noCache, String dockerfile) {
    }

    record DeploymentCreated(String id) {
    }

    @PostMapping("/api/v1/namespaces/{namespace}/applications/{app}/stage")
    StageResponse stage(@PathVariable String namespace, @PathVariable("app") String appName,
                        @RequestBody StageRequest request, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        String pushId = startStaging(app, request.blobuid(), request.builderimage(), request.build(buildRequests));
        return new StageResponse(new StageId(pushId), imageOf(app.ref(), pushId));
    }

    /** Blocks until the stage is over, like Epinio's; {@code status} says how it ended. */
    @GetMapping("/api/v1/namespaces/{namespace}/staging/{stageId}/complete")
    CompletableFuture<Map<String, Object>> stagingComplete(@PathVariable String namespace, @PathVariable String stageId,
                                                           Caller caller) {
        access.requireNamespace(caller, namespace);
        PushState known = pushes.find(stageId).filter(push -> push.app().namespace().equals(namespace))
                .orElseThrow(() -> ApiException.notFound("no stage " + stageId + " in namespace " + namespace));
        return pushes.stagingFinished(known.pushId())
                .orTimeout(completeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(timeout -> null)
                .thenApply(finished -> completion(namespace, stageId, finished));
    }

    @PostMapping("/api/v1/namespaces/{namespace}/applications/{app}/deploy")
    DeployResponse deploy(@PathVariable String namespace, @PathVariable("app") String appName,
                          @RequestBody DeployRequest request, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        String stageId = request.stage() == null ? null : request.stage().id();
        PushState staged = stageId == null ? null : pushes.find(stageId)
                .filter(push -> push.app().equals(app.ref()))
                .orElseThrow(() -> ApiException.notFound("no stage " + stageId + " for app " + app.ref()));
        String image = request.image() != null ? request.image() : staged == null ? null : staged.image();
        if (image == null) {
            throw ApiException.badRequest("name an image, or a stage that has finished building one");
        }
        String blobUid = staged == null ? UUID.randomUUID().toString() : staged.blobUid();
        withCurrent(app.ref(), now -> requests.requestDeploy(new DeployRequested(blobUid, app.ref(),
                DeployAction.DEPLOY, stageId, image, null, now.settings())).id());
        return new DeployResponse(routeNames.all(app), List.of());
    }

    @PostMapping("/api/v1/namespaces/{namespace}/applications/{app}/deployments")
    ResponseEntity<DeploymentCreated> deployments(@PathVariable String namespace, @PathVariable("app") String appName,
                                                  @RequestBody DeploymentRequest request, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        if ((request.blobuid() == null) == (request.image() == null)) {
            throw ApiException.badRequest("give exactly one of blobuid (source to build) or image (to run as is)");
        }
        BuildSettings build = buildRequests.sealed(request.buildEnv(), request.noCache(), request.dockerfile());
        if (request.image() != null && build != null) {
            throw ApiException.unprocessable("build_env, no_cache and dockerfile apply to source that is built, "
                    + "not to an image run as is");
        }
        String pushId = request.image() != null
                ? withCurrent(app.ref(), now -> requests.requestDeploy(new DeployRequested(
                        UUID.randomUUID().toString(), app.ref(), DeployAction.DEPLOY, null, request.image(), null,
                        now.settings())).id())
                : startStaging(app, request.blobuid(), request.builderimage(), build);
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/namespaces/" + namespace + "/applications/" + appName + "/deployments/"
                        + pushId))
                .body(new DeploymentCreated(pushId));
    }

    record RollbackRequest(Integer revision) {
    }

    /** Runs an earlier release again (the previous one unless {@code revision} is named), as a new push. */
    @PostMapping("/api/v1/namespaces/{namespace}/applications/{app}/rollback")
    ResponseEntity<DeploymentCreated> rollback(@PathVariable String namespace, @PathVariable("app") String appName,
                                               @RequestBody(required = false) RollbackRequest request, Caller caller) {
        AppState app = access.existing(caller, namespace, appName);
        Integer revision = request == null ? null : request.revision();
        if (revision != null && revision < 1) {
            throw ApiException.unprocessable("revision must be 1 or more, was " + revision);
        }
        String pushId = withCurrent(app.ref(), now -> requests.requestDeploy(new DeployRequested(
                UUID.randomUUID().toString(), app.ref(), DeployAction.ROLLBACK, null, null, revision,
                now.settings())).id());
        return ResponseEntity.accepted().location(URI.create("/api/v1/pushes/" + pushId))
                .body(new DeploymentCreated(pushId));
    }

    @GetMapping("/api/v1/namespaces/{namespace}/applications/{app}/deployments/{id}")
    Map<String, Object> deployment(@PathVariable String namespace, @PathVariable("app") String appName,
                                   @PathVariable String id, Caller caller) {
        AppRef app = access.namespace(caller, namespace, appName);
        PushState push = pushes.find(id).filter(candidate -> candidate.app().equals(app))
                .orElseThrow(() -> ApiException.notFound("no deployment " + id + " of app " + app));
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", push.pushId());
        shown.put("app", Map.of("name", app.name(), "namespace", app.namespace()));
        shown.put("status", switch (push.phase()) {
            case PushState.STAGING, PushState.QUEUED -> "staging";
            case PushState.ONLINE -> "succeeded";
            case PushState.FAILED -> "failed";
            case PushState.SUPERSEDED -> "superseded";
            default -> "deploying";
        });
        if (push.supersededBy() != null) {
            shown.put("superseded_by", push.supersededBy());
        }
        shown.put("stage_id", push.stageId());
        shown.put("image", push.image());
        shown.put("error", push.failure() == null ? null
                : push.failedStage() + " failed: " + push.failure().reason() + ": " + push.failure().message());
        shown.put("routes", push.urls());
        shown.put("warnings", List.of());
        shown.put("startedAt", push.startedAt());
        shown.put("finishedAt", push.finishedAt());
        return shown;
    }

    /** Queues a push of source; answers its push id (= stage id). */
    private String startStaging(AppState app, String requestedBlob, String builderImage, BuildSettings build) {
        String builder = builderImage != null ? builderImage : app.builderImage();
        if (builder != null) {
            access.requireAllowedBuilder(builder);
        }
        String blobUid = requestedBlob != null ? requestedBlob : app.lastBlobUid();
        if (blobUid == null) {
            throw ApiException.badRequest("app " + app.ref() + " has no uploaded source yet; store an archive first");
        }
        try {
            if (!blobs.exists(BlobKeys.of(app.ref(), blobUid))) {
                throw ApiException.notFound("no blob " + blobUid + " for app " + app.ref() + "; store it first");
            }
        } catch (BlobStore.StorageException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "storage unavailable",
                    "cannot check the blob in the blob store; try again shortly", e);
        } catch (IllegalArgumentException notAUuid) {
            throw ApiException.badRequest(notAUuid.getMessage());
        }
        // accepted at once, into the app's queue (which runs one push at a time); per app in order, so the
        // app's last stage is the last push accepted here
        return withCurrent(app.ref(), now -> {
            String pushId = requests.queuePush(new StageRequested(blobUid, app.ref(), builder, now.settings(),
                    now.lastStageId(), build)).correlationId();
            apps.update(app.ref(), current -> current.withStage(blobUid, pushId, builder));
            return pushId;
        });
    }

    /**
     * Publishes, in the app's order, from the app's settings as stored now on any replica, not as read
     * when the request came in: a change stored meanwhile is carried, not undone.
     */
    private String withCurrent(AppRef app, Function<AppState, String> publish) {
        return apps.inOrder(app, () -> publish.apply(apps.current(app).orElseThrow(() -> ApiException.notFound(
                "app " + app + " was deleted meanwhile; nothing was started"))));
    }

    private String imageOf(AppRef app, String stageId) {
        return ImageNames.image(registry, app, stageId);
    }

    private static Map<String, Object> completion(String namespace, String stageId, PushState finished) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stage_id", stageId);
        body.put("namespace", namespace);
        if (finished == null) {
            body.put("status", "waiting");
            body.put("message", "staging has not finished yet; ask again");
            body.put("completed", false);
        } else if (PushState.SUPERSEDED.equals(finished.phase())) {
            // never staged: a client must not go on to deploy it, and learns which push to follow instead
            body.put("status", "failed");
            body.put("message", "superseded by push " + finished.supersededBy()
                    + ": a newer push of the app took its place; follow that one");
            body.put("completed", true);
            body.put("superseded_by", finished.supersededBy());
        } else if (PushState.FAILED.equals(finished.phase()) && "staging".equals(finished.failedStage())) {
            body.put("status", "failed");
            body.put("message", finished.failure().reason() + ": " + finished.failure().message());
            body.put("completed", true);
        } else {
            body.put("status", "succeeded");
            body.put("message", "");
            body.put("completed", true);
        }
        return body;
    }
}
