package dev.slipway.events;

/**
 * A queued push that will never run: a newer push of the same app ({@code supersededBy}) took its
 * place in the queue. The push ends here, as its user intended (the newest source wins), not in failure.
 */
public record PushSuperseded(String blobUid, AppRef app, String supersededBy) implements EventData {

    public PushSuperseded {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.requireUuid("supersededBy", supersededBy);
    }
}
