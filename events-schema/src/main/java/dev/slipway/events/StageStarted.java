package dev.slipway.events;

/** A staging worker took the stage; {@code builder} is the builder kind (jib, kubernetes). */
public record StageStarted(String blobUid, AppRef app, String builder, String builderImage) implements EventData {

    public StageStarted {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("builder", builder);
    }
}
