package dev.slipway.events;

/**
 * A push waits its turn: its app has a push running ({@code waitingFor}), and one app stages one push
 * at a time. It starts when that push ends, unless a newer push of the app replaces it first. The
 * event's correlation id is the waiting push's id (the id its {@code stage.requested} will carry).
 */
public record PushQueued(String blobUid, AppRef app, String waitingFor) implements EventData {

    public PushQueued {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.requireUuid("waitingFor", waitingFor);
    }
}
