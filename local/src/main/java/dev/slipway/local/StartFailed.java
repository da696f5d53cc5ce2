package dev.slipway.local;

import java.time.Duration;
import java.util.Locale;

/** A part of the platform did not start; the parts that had started were stopped again, in {@link #stoppedIn()}. */
public final class StartFailed extends IllegalStateException {

    private final transient Duration stoppedIn;

    StartFailed(Exception cause, Duration stoppedIn) {
        super(String.format(Locale.ROOT, "Slipway did not start: %s (what had started was stopped in %.1f s)",
                cause.getMessage(), stoppedIn.toMillis() / 1000.0), cause);
        this.stoppedIn = stoppedIn;
    }

    public Duration stoppedIn() {
        return stoppedIn;
    }
}
