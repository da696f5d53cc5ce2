package dev.slipway.staging.build;

import dev.slipway.events.StageStep;
import java.util.List;

/** What a builder tells while it works: each finished step, and what the build printed. */
public interface BuildProgress {

    void stepFinished(StageStep step, long millis, String detail);

    void logged(StageStep step, List<String> lines);
}
