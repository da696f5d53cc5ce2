package dev.slipway.events;

import java.util.List;

/** Lines a stage's builder printed, in order; sent as they come and before a failure, so no failure is silent. */
public record StageLogged(String blobUid, AppRef app, StageStep step, List<String> lines) implements EventData {

    public StageLogged {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("step", step);
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
