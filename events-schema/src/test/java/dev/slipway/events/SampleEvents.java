package dev.slipway.events;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One event of every type, each with its optional fields both set and left out. */
final class SampleEvents {

    static final URI SOURCE = URI.create("/slipway/test");
    static final String BLOB = UUID.randomUUID().toString();
    static final AppRef APP = new AppRef("workspace", "hello");
    static final String STAGE = UUID.randomUUID().toString();
    static final String IMAGE = "127.0.0.1:5000/workspace-hello:" + STAGE;
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    private SampleEvents() {
    }

    static List<EventData> all() {
        AppSettings full = new AppSettings(3, false, List.of("hello.example.com", "example.com/api"), "hello-env@2",
                256);
        AppSettings plain = AppSettings.defaults();
        StageRequested request = new StageRequested(BLOB, APP, "paketobuildpacks/builder-jammy-full", full, STAGE,
                new BuildSettings(java.util.Map.of("NODE_ENV", "v1:c2VhbGVkIHZhbHVl"), true, "docker/Dockerfile.web"));
        StageRequested bareRequest = new StageRequested(BLOB, APP, null, plain, null);
        DeployRequested deploy = new DeployRequested(BLOB, APP, DeployAction.DEPLOY, STAGE, IMAGE, null, full);
        DeployRequested rollback = new DeployRequested(BLOB, APP, DeployAction.ROLLBACK, null, null, 4, plain);
        DeployRequested restart = new DeployRequested(BLOB, APP, DeployAction.DEPLOY, STAGE, IMAGE, null, full,
                DeployChange.RESTART);
        AppDeployed deployed = new AppDeployed(BLOB, APP, STAGE, IMAGE, 2, 3, 3, full);
        AppDeployed imageOnly = new AppDeployed(BLOB, APP, null, "nginx:1.27", 1, 0, 0, plain);
        AppDeployed local = new AppDeployed(BLOB, APP, STAGE, IMAGE, 4, 2, 2, full,
                List.of("127.0.0.1:20001", "127.0.0.1:20002"));
        Failure failure = new Failure(ReasonCodes.REGISTRY_UNAVAILABLE, "registry did not answer", true);
        return List.of(
                new BlobUploaded(BLOB, APP, "alice", 1234, "cd".repeat(32), ArchiveFormat.ZIP),
                request, bareRequest,
                new StageStarted(BLOB, APP, "jib", "base-static:1"),
                new StageStarted(BLOB, APP, "kubernetes", null),
                new StageStepFinished(BLOB, APP, StageStep.FETCH, 12, "fetched 1234 bytes"),
                new StageStepFinished(BLOB, APP, StageStep.BUILD, 0, null),
                new StageLogged(BLOB, APP, StageStep.BUILD, List.of("Containerizing application", "pushed")),
                new StageSucceeded(BLOB, APP, STAGE, IMAGE, DIGEST, "static",
                        Map.of(StageStep.FETCH, 12L, StageStep.UNPACK, 3L, StageStep.BUILD, 900L), full),
                new StageSucceeded(BLOB, APP, STAGE, IMAGE, DIGEST, null, null, plain),
                new StageFailed(BLOB, APP, StageStep.BUILD, failure, request),
                new StageFailed(BLOB, APP, StageStep.UNPACK, failure, bareRequest),
                deploy, rollback, restart, deployed, imageOnly, local,
                new DeployFailed(BLOB, APP, failure, deploy),
                new RoutesReady(BLOB, APP, List.of("http://hello.localhost:8080/")),
                new RoutesReady(BLOB, APP, List.of()),
                new RoutesFailed(BLOB, APP, new Failure(ReasonCodes.ROUTE_CONFLICT, "owned by other", false),
                        deployed),
                new AppDeleted(BLOB, APP, "alice"),
                new PushQueued(BLOB, APP, request),
                new PushSuperseded(BLOB, APP, STAGE));
    }

    static Event<EventData> event(EventData data) {
        return Event.start(SOURCE, data);
    }
}
