package dev.slipway.events.spring;

import dev.slipway.events.EventType;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a stage works on, for its attempt ledger: only these inputs are marked before the work (the
 * stage skips the rest of the event log, which cannot crash it), and one that crashed the service
 * too often is answered with {@code failedEvent}.
 *
 * @param types       the event types the stage does work for
 * @param failedEvent the stage's failed event for one of them
 */
public record StageInputs(Set<EventType> types, FailedEventFactory failedEvent) {

    public StageInputs {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("a stage takes at least one event type");
        }
        types = Set.copyOf(types);
    }

    public static StageInputs of(FailedEventFactory failedEvent, EventType type, EventType... more) {
        return new StageInputs(EnumSet.of(type, more), failedEvent);
    }

    boolean takes(EventType type) {
        return types.contains(type);
    }
}
