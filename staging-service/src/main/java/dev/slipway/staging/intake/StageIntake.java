package dev.slipway.staging.intake;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStarted;
import java.net.URI;
import java.util.Optional;

/**
 * Takes a stage request off the event log and announces that staging has begun, naming the builder
 * and builder image that will be used. Every other event on the log is not staging's business.
 */
public final class StageIntake {

    private final URI source;
    private final StagingProperties properties;

    public StageIntake(URI source, StagingProperties properties) {
        this.source = source;
        this.properties = properties;
    }

    public Optional<Event<StageStarted>> accept(Event<? extends EventData> event) {
        if (!event.is(EventType.STAGE_REQUESTED)) {
            return Optional.empty();
        }
        StageRequested request = event.dataAs(StageRequested.class);
        String builderImage = request.builderImage() != null ? request.builderImage()
                : properties.defaultBuilderImage();
        return Optional.of(event.next(source,
                new StageStarted(request.blobUid(), request.app(), properties.builder(), builderImage)));
    }
}
