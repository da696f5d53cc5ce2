package dev.slipway.upload.apps;

import dev.slipway.events.AppRef;
import java.util.Map;

/**
 * What another feature adds to an app's shape in {@code GET .../applications/{app}} (its instances),
 * beside Epinio's fields. A part that cannot be had says so in its own fields, never failing the show.
 */
public interface AppDetails {

    Map<String, Object> describe(AppRef app);
}
