package dev.slipway.events.spring.teststage;

import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStarted;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.spring.StageAttempts;
import dev.slipway.events.spring.StageBindings;
import dev.slipway.events.spring.StageInputs;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;

/**
 * A stage that breaks on request, for tests of the binding machinery on a real broker, in the test JVM
 * or as a child process. The app name of a {@code stage.requested} says what handling it gets, after
 * {@code stage.started} is on the broker:
 * <ul>
 *   <li>{@code ok-*}: {@code stage.succeeded}</li>
 *   <li>{@code oom-*}: a real OutOfMemoryError (an array larger than any heap)</li>
 *   <li>{@code deep-*}: a real StackOverflowError (unbounded recursion)</li>
 *   <li>{@code hang-*}: never finishes, for a process to be killed in the middle of the work</li>
 * </ul>
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestStageApplication {

    static final URI SOURCE = URI.create("/slipway/test-stage");
    private static final Logger log = LoggerFactory.getLogger(TestStageApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(TestStageApplication.class, args);
    }

    /** Guarded by the attempt ledger like the services' stages; a crashed request fails in BUILD. */
    @Bean
    Consumer<Event<EventData>> stage(StageAttempts attempts, StreamBridge streamBridge) {
        StageInputs requests = StageInputs.of((input, failure) -> Optional.of(
                StageFailed.of(input.dataAs(StageRequested.class), StageStep.BUILD, failure)), EventType.STAGE_REQUESTED);
        return StageBindings.consumer(TestStageApplication::handle, requests, attempts, streamBridge);
    }

    static void handle(Event<EventData> event, Consumer<Event<?>> emit) {
        if (!(event.data() instanceof StageRequested request)) {
            return;
        }
        log.info("staging {}", request.app());
        emit.accept(event.next(SOURCE, new StageStarted(request.blobUid(), request.app(), "test", null)));
        String behaviour = request.app().name().substring(0, request.app().name().indexOf('-'));
        switch (behaviour) {
            case "oom" -> emit.accept(event.next(SOURCE, succeeded(event, request, new long[Integer.MAX_VALUE - 8].length)));
            case "deep" -> emit.accept(event.next(SOURCE, succeeded(event, request, depth(0))));
            case "hang" -> hang();
            default -> emit.accept(event.next(SOURCE, succeeded(event, request, 0)));
        }
    }

    private static StageSucceeded succeeded(Event<EventData> event, StageRequested request, long detail) {
        return new StageSucceeded(request.blobUid(), request.app(), event.correlationId(),
                "127.0.0.1:5000/test:" + detail, "sha256:" + "0".repeat(64), "test", Map.of(), request.settings());
    }

    private static int depth(int level) {
        return depth(level + 1) + 1;
    }

    private static void hang() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
