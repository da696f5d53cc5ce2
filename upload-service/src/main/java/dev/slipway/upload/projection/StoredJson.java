package dev.slipway.upload.projection;

import dev.slipway.events.EventJson;
import dev.slipway.upload.status.PushState;

/** Push states and app summaries as stored values and as records of the compacted topics. */
final class StoredJson {

    private StoredJson() {
    }

    static byte[] state(PushState state) {
        return EventJson.mapper().writeValueAsBytes(state);
    }

    static PushState state(byte[] json) {
        return json == null ? null : EventJson.mapper().readValue(json, PushState.class);
    }

    static byte[] appPushes(AppPushes pushes) {
        return EventJson.mapper().writeValueAsBytes(pushes);
    }

    static AppPushes appPushes(byte[] json) {
        return json == null ? AppPushes.none() : EventJson.mapper().readValue(json, AppPushes.class);
    }
}
