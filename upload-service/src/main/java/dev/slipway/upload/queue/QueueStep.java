package dev.slipway.upload.queue;

import dev.slipway.events.Event;
import java.util.List;

/**
 * What one signal did to an app's queue: its next state and the
 * events to publish.
 */
record QueueStep(AppQueue next, List<Event<?>> emitted) {

    QueueStep {
        emitted = List.copyOf(emitted);
    }
}
