package dev.slipway.events;

/**
 * An app was deleted: its release and routes go. The blob uid is a new uid of the usual form, as for
 * an image push, so the event has a key like every other; the id of this event is the run's id.
 */
public record AppDeleted(String blobUid, AppRef app, String username) implements EventData {

    public AppDeleted {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("username", username);
    }
}
