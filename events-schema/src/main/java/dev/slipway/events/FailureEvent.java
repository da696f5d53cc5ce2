package dev.slipway.events;

/** The data of a {@code *.failed} event: what went wrong, and whether running it again may help. */
public interface FailureEvent {

    Failure failure();
}
