package dev.slipway.upload.tracking;

import dev.slipway.events.Event;
import dev.slipway.events.EventJson;
import dev.slipway.events.kafka.EventCodec;
import dev.slipway.upload.api.ShownEvents;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Events as API clients see them: CloudEvents in the JSON format, build env values hidden. */
public final class EventViews {

    private EventViews() {
    }

    public static JsonNode of(Event<?> event) {
        return EventJson.mapper().readTree(EventCodec.toStructuredJson(ShownEvents.shown(event)));
    }

    public static List<JsonNode> of(List<? extends Event<?>> events) {
        return events.stream().map(EventViews::of).toList();
    }
}
