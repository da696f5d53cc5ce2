package dev.slipway.events;

/** One staging step finished; {@code detail} is a short human summary (bytes fetched, files unpacked). */
public record StageStepFinished(String blobUid, AppRef app, StageStep step, long durationMillis, String detail)
        implements EventData {

    public StageStepFinished {
        Names.requireUuid("blobUid", blobUid);
        Names.require("app", app);
        Names.require("step", step);
        if (durationMillis < 0) {
            throw new IllegalArgumentException("durationMillis must not be negative");
        }
    }
}
