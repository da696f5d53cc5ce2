package dev.slipway.events.spring;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.Failure;
import dev.slipway.events.FailureEvent;
import dev.slipway.events.Topics;
import dev.slipway.events.logging.EventMdc;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.function.StreamBridge;

/**
 * A service's stage as a Spring Cloud Stream consumer: every event the stage emits is on the broker
 * before the next is made (and before the input's offset is committed); a stage that gave up on a
 * transient fault (a retryable {@code *.failed}) also sends its input to the dead-letter topic. Any
 * Throwable fails the record, never the consumer (see {@link HandlerErrorException}). While an event is
 * handled, the logging MDC names its push, trace and span ({@link EventMdc}); it is cleared after each.
 */
public final class StageBindings {

    private static final Logger log = LoggerFactory.getLogger(StageBindings.class);

    private StageBindings() {
    }

    /** The stage on its binding, without an attempt ledger: a record that kills the process comes back after every restart. */
    public static Consumer<Event<EventData>> consumer(BiConsumer<Event<EventData>, Consumer<Event<?>>> stage,
                                                      StreamBridge streamBridge) {
        return input -> {
            AtomicReference<FailureEvent> gaveUp = new AtomicReference<>();
            try (EventMdc.Scope ignored = EventMdc.open(input)) {
                stage.accept(input, emitted -> {
                    send(streamBridge, emitted);
                    if (emitted.data() instanceof FailureEvent failed && failed.failure().retryable()) {
                        gaveUp.set(failed);
                    }
                });
            } catch (Error error) {
                throw new HandlerErrorException(error + " while handling " + input.type().type() + " " + input.id(),
                        error);
            }
            if (gaveUp.get() != null) {
                throw new RetriesExhaustedException(gaveUp.get().failure().reason() + ": "
                        + gaveUp.get().failure().message());
            }
        };
    }

    /**
     * The stage on its binding, with its inputs' attempts marked in the ledger before the work: an
     * input that killed the process {@link StageAttempts#max()} times is not run again but answered
     * with the stage's failed event ({@code STAGE_CRASHED}, not retryable) and dead-lettered, and its
     * partition moves on.
     */
    public static Consumer<Event<EventData>> consumer(BiConsumer<Event<EventData>, Consumer<Event<?>>> stage,
                                                      StageInputs inputs, StageAttempts attempts,
                                                      StreamBridge streamBridge) {
        Consumer<Event<EventData>> handler = consumer(stage, streamBridge);
        return input -> {
            if (!inputs.takes(input.type())) {
                handler.accept(input);
                return;
            }
            try (EventMdc.Scope ignored = EventMdc.open(input)) {
                int crashes = attempts.unfinished(input.id());
                if (crashes >= attempts.max()) {
                    failCrashed(input, crashes, inputs, attempts, streamBridge);
                }
                attempts.begin(input.id(), crashes + 1);
                try {
                    handler.accept(input);
                } finally {
                    // the process lived to see the end: whatever happened is the error handler's business
                    attempts.end(input.id());
                }
            }
        };
    }

    private static void failCrashed(Event<EventData> input, int crashes, StageInputs inputs, StageAttempts attempts,
                                    StreamBridge streamBridge) {
        Failure failure = attempts.crashed(input, crashes);
        log.error("{} [answered with its failed event and dead-lettered]", failure.message());
        inputs.failedEvent().failed(input, failure)
                .ifPresent(failed -> send(streamBridge, input.next(attempts.source(), failed)));
        // cleared once answered, so a dead letter redriven after a fix is tried afresh
        attempts.end(input.id());
        throw new RetriesExhaustedException(failure.reason() + ": " + failure.message());
    }

    private static void send(StreamBridge streamBridge, Event<?> event) {
        if (!streamBridge.send(Topics.EVENTS, event)) {
            throw new IllegalStateException("the event log did not take " + event.type().type());
        }
    }
}
