package dev.slipway.events.spring;

/**
 * Thrown by a binding after its stage gave up on a transient fault and emitted its
 * {@code *.failed} event (retryable): the input record then goes to the dead-letter topic at once,
 * without the binding retrying the whole stage again.
 */
public class RetriesExhaustedException extends RuntimeException {

    public RetriesExhaustedException(String message) {
        super(message);
    }
}
