package dev.slipway.events;

/**
 * The {@code data} of a Slipway event. Every event belongs to one upload (its blob uid, also the
 * Kafka record key) and one app, so the envelope derives the key and the namespace/app extensions
 * from here instead of trusting a second copy.
 */
public sealed interface EventData
        permits BlobUploaded, StageRequested, StageStarted, StageStepFinished, StageLogged, StageSucceeded, StageFailed,
        DeployRequested, AppDeployed, DeployFailed, RoutesReady, RoutesFailed, AppDeleted, PushQueued, PushSuperseded {

    String blobUid();

    AppRef app();
}
