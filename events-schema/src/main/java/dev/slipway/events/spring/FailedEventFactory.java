package dev.slipway.events.spring;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Failure;
import java.util.Optional;

/** How a stage says it failed an input: its own {@code *.failed} data, carrying the input for replay. */
@FunctionalInterface
public interface FailedEventFactory {

    /**
     * The stage's failed data for {@code input}; empty when the stage has no failed event for that
     * kind of input (e.g. a deletion), which is then only dead-lettered.
     */
    Optional<? extends EventData> failed(Event<EventData> input, Failure failure);
}
