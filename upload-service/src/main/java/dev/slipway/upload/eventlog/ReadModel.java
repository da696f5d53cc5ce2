package dev.slipway.upload.eventlog;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;

/**
 * A view folded from the event log that also takes the API's own events the moment they are
 * published, so an answer given to a user (a push id) is readable at once. Applying is idempotent
 * by event id: the log delivers the same event again later.
 */
public interface ReadModel {

    void apply(Event<? extends EventData> event);
}
