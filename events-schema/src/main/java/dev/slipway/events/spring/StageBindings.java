package dev.slipway.events.spring;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.FailureEvent;
import dev.slipway.events.Topics;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.springframework.cloud.stream.function.StreamBridge;

/**
 * A service's stage as a Spring Cloud Stream consumer: every event the stage emits is on the broker
 * before the next is made (and before the input's offset is committed); a stage that gave up on a
 * transient fault (a retryable {@code *.failed}) also sends its input to the dead-letter topic.
 */
public final class StageBindings {

    private StageBindings() {
    }

    public static Consumer<Event<EventData>> consumer(BiConsumer<Event<EventData>, Consumer<Event<?>>> stage,
                                                      StreamBridge streamBridge) {
        return input -> {
            AtomicReference<FailureEvent> gaveUp = new AtomicReference<>();
            stage.accept(input, emitted -> {
                if (!streamBridge.send(Topics.EVENTS, emitted)) {
                    throw new IllegalStateException("the event log did not take " + emitted.type().type());
                }
                if (emitted.data() instanceof FailureEvent failed && failed.failure().retryable()) {
                    gaveUp.set(failed);
                }
            });
            if (gaveUp.get() != null) {
                throw new RetriesExhaustedException(gaveUp.get().failure().reason() + ": "
                        + gaveUp.get().failure().message());
            }
        };
    }
}
