package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StopStepsTest {

    private final StopSteps steps = new StopSteps();

    @Test
    void aPartThatHangsCostsItsStepsTimeAndIsNamedWhileTheOthersStop() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean otherStopped = new AtomicBoolean();
        Map<String, Runnable> parts = new LinkedHashMap<>();
        parts.put("stuck", () -> await(never));
        parts.put("quick", () -> otherStopped.set(true));

        long before = System.nanoTime();
        steps.stop(parts, Instant.now().plusMillis(300));
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        assertThat(otherStopped).isTrue();
        assertThat(steps.stillStopping()).containsOnlyKeys("stuck");
        assertThat(steps.stillStopping().get("stuck").getName()).isEqualTo("stop-stuck");
        never.countDown();
    }

    @Test
    void aPartThatFailsToStopDoesNotKeepTheNextStepWaiting() {
        AtomicBoolean next = new AtomicBoolean();

        steps.stop(Map.of("broken", () -> {
            throw new IllegalStateException("cannot stop");
        }), Instant.now().plusSeconds(5));
        steps.stop(Map.of("next", () -> next.set(true)), Instant.now().plusSeconds(5));

        assertThat(next).isTrue();
        assertThat(steps.stillStopping()).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
