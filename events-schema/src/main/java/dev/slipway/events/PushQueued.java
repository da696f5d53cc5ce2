package dev.slipway.events;

import java.util.Objects;

/**
 * A source push was accepted and waits its turn: one app stages one push at a time. Its {@code request}
 * is issued as the push's {@code stage.requested} (with the push id as its event id) once the app has
 * no other push running, unless a newer push of the app replaces it first ({@code push.superseded}).
 * The event's correlation id is the push id.
 */
public record PushQueued(String blobUid, AppRef app, StageRequested request) implements EventData {

    public PushQueued {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("request", request);
        if (!Objects.equals(blobUid, request.blobUid()) || !Objects.equals(app, request.app())) {
            throw new IllegalArgumentException("a queued push's request must be for its own blob and app");
        }
    }
}
