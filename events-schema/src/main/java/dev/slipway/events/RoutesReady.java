package dev.slipway.events;

import java.util.List;

/** The app answers at these full URLs (http or https); empty when the app has no route. */
public record RoutesReady(String blobUid, AppRef app, List<String> urls) implements EventData {

    public RoutesReady {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        urls = urls == null ? List.of() : List.copyOf(urls);
    }
}
