package dev.slipway.events.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.StageRequested;
import dev.slipway.events.logging.EventMdc;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The MDC while a stage handles an event, and after: listener threads are reused for the next event. */
class StageBindingsMdcTest {

    private static final Event<EventData> REQUESTED = Event.start(URI.create("/slipway/test"),
            new StageRequested(UUID.randomUUID().toString(), new AppRef("workspace", "hello"), null,
                    AppSettings.defaults(), null));

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void theStageSeesThePushTraceSpanAndTypeAndTheThreadIsClearedAfter() {
        Map<String, String> seen = new HashMap<>();
        Consumer<Event<EventData>> consumer = StageBindings.consumer((event, emit) -> seen.putAll(MDC.getCopyOfContextMap()),
                null);

        consumer.accept(REQUESTED);

        assertThat(seen).containsEntry(EventMdc.PUSH_ID, REQUESTED.correlationId())
                .containsEntry(EventMdc.TRACE_ID, REQUESTED.trace().traceId())
                .containsEntry(EventMdc.SPAN_ID, REQUESTED.trace().spanId())
                .containsEntry(EventMdc.EVENT_TYPE, "dev.slipway.stage.requested.v1");
        assertThat(MDC.get(EventMdc.PUSH_ID)).isNull();
        assertThat(MDC.get(EventMdc.TRACE_ID)).isNull();
    }

    @Test
    void aStageThatThrowsLeavesNoPushBehindAndWhatWasThereBeforeStays() {
        MDC.put("request", "kept");
        Consumer<Event<EventData>> consumer = StageBindings.consumer((event, emit) -> {
            throw new IllegalStateException("broken");
        }, null);

        assertThatThrownBy(() -> consumer.accept(REQUESTED)).isInstanceOf(IllegalStateException.class);

        assertThat(MDC.get(EventMdc.PUSH_ID)).isNull();
        assertThat(MDC.get(EventMdc.SPAN_ID)).isNull();
        assertThat(MDC.get("request")).isEqualTo("kept");
    }

    @Test
    void workHandedToAnotherThreadCarriesThePush() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            CompletableFuture<String> onTimer = new CompletableFuture<>();
            StageBindings.consumer((event, emit) -> timer.execute(EventMdc.carrying(
                    () -> onTimer.complete(MDC.get(EventMdc.PUSH_ID)))), null).accept(REQUESTED);
            CompletableFuture<String> afterwards = new CompletableFuture<>();
            timer.execute(() -> afterwards.complete(String.valueOf(MDC.get(EventMdc.PUSH_ID))));

            assertThat(onTimer.get()).isEqualTo(REQUESTED.correlationId());
            assertThat(afterwards.get()).isEqualTo("null");
        } finally {
            timer.shutdownNow();
        }
    }
}
