package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StopWatchdogTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger halted = new AtomicInteger(-1);

    @Test
    void aStopPastItsDeadlineHaltsAndNamesWhatDidNotStopAndWhere() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Thread stuck = new Thread(() -> awaitQuietly(never), "stop-kafka broker");
        stuck.setDaemon(true);
        stuck.start();

        StopWatchdog.arm(Duration.ofMillis(200), () -> Map.of("kafka broker", stuck),
                new PrintStream(err, true, StandardCharsets.UTF_8), halted::set);

        await().atMost(Duration.ofSeconds(5)).until(() -> halted.get() == StopWatchdog.HALT_STATUS);
        String said = err.toString(StandardCharsets.UTF_8);
        assertThat(said).contains("did not finish within 0.2 s", "still stopping: kafka broker", "Halting now",
                "stop-kafka broker", "CountDownLatch.await");
        never.countDown();
    }

    @Test
    void aStopThatFinishesInTimeIsLeftAlone() throws Exception {
        StopWatchdog watchdog = StopWatchdog.arm(Duration.ofMillis(300), Map::of,
                new PrintStream(err, true, StandardCharsets.UTF_8), halted::set);

        watchdog.disarm();

        // quiet until well past its deadline
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> halted.get() == -1);
        assertThat(err.size()).isZero();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
