package dev.slipway.staging.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.Event;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.logging.EventMdc;
import dev.slipway.staging.build.BuildProgress;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LiveStageLogTest {

    /** What the pipeline was told, in order: a batch of lines or a step's end. */
    record Told(StageStep step, List<String> lines, boolean stepEnd) {
    }

    private final List<Told> told = new CopyOnWriteArrayList<>();
    private final BuildProgress progress = new BuildProgress() {
        @Override
        public void stepFinished(StageStep step, long millis, String detail) {
            told.add(new Told(step, List.of(), true));
        }

        @Override
        public void logged(StageStep step, List<String> lines) {
            told.add(new Told(step, lines, false));
        }
    };
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private List<String> allLines() {
        return told.stream().flatMap(each -> each.lines().stream()).toList();
    }

    @Test
    void fiftyWaitingLinesGoOutAtOnceWithoutWaitingForTheTimer() {
        try (LiveStageLog log = new LiveStageLog(progress, timer, Duration.ofHours(1))) {
            IntStream.range(0, 120).forEach(i -> log.add(StageStep.BUILD, "line " + i));

            assertThat(told).extracting(each -> each.lines().size()).containsExactly(50, 50);
            log.endStep(StageStep.BUILD);
        }
        assertThat(told).extracting(each -> each.lines().size()).containsExactly(50, 50, 20);
        assertThat(allLines()).containsExactlyElementsOf(IntStream.range(0, 120).mapToObj(i -> "line " + i).toList());
    }

    @Test
    void aBatchTheTimerSendsIsToldWithThePushOfTheStage() {
        List<String> pushes = new CopyOnWriteArrayList<>();
        BuildProgress tellingPush = new BuildProgress() {
            @Override
            public void stepFinished(StageStep step, long millis, String detail) {
            }

            @Override
            public void logged(StageStep step, List<String> lines) {
                pushes.add(String.valueOf(MDC.get(EventMdc.PUSH_ID)));
            }
        };
        Event<StageRequested> requested = Event.start(URI.create("/slipway/test"), new StageRequested(
                UUID.randomUUID().toString(), new AppRef("workspace", "hello"), null, AppSettings.defaults(), null));
        try (LiveStageLog log = new LiveStageLog(tellingPush, timer, Duration.ofMillis(50))) {
            try (EventMdc.Scope handling = EventMdc.open(requested)) {
                log.add(StageStep.BUILD, "Compiling");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !pushes.isEmpty());
        }
        assertThat(pushes).containsExactly(requested.correlationId());
    }

    @Test
    void aFewLinesGoOutWhenTheFirstHasWaitedLongEnoughWhileTheBuildStillRuns() {
        try (LiveStageLog log = new LiveStageLog(progress, timer, Duration.ofMillis(100))) {
            log.add(StageStep.BUILD, "Resolving dependencies");
            log.add(StageStep.BUILD, "Downloading left-pad");

            await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 1);
            log.add(StageStep.BUILD, "Compiling");
            await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 2);
        }
        assertThat(told).containsExactly(
                new Told(StageStep.BUILD, List.of("Resolving dependencies", "Downloading left-pad"), false),
                new Told(StageStep.BUILD, List.of("Compiling"), false));
    }

    @Test
    void aStepsLinesGoOutBeforeItsEndAndEachBatchNamesItsStep() {
        try (LiveStageLog log = new LiveStageLog(progress, timer, Duration.ofHours(1))) {
            log.add(StageStep.UNPACK, "unpacked");
            log.add(StageStep.BUILD, "building");
            log.stepFinished(StageStep.UNPACK, 1, "");
            log.add(StageStep.BUILD, "pushed");
            log.stepFinished(StageStep.BUILD, 1, "");
        }

        assertThat(told).containsExactly(new Told(StageStep.UNPACK, List.of("unpacked"), false),
                new Told(StageStep.UNPACK, List.of(), true),
                new Told(StageStep.BUILD, List.of("building", "pushed"), false),
                new Told(StageStep.BUILD, List.of(), true));
    }

    @Test
    void aVerboseBuildIsCappedAndItsLastLinesAreKeptAfterANoteOfWhatWasLeftOut() {
        int printed = LiveStageLog.MAX_LINES + 5000;
        try (LiveStageLog log = new LiveStageLog(progress, timer, Duration.ofHours(1))) {
            IntStream.range(0, printed).forEach(i -> log.add(StageStep.BUILD, "x".repeat(5000) + " " + i));
            log.endStep(StageStep.BUILD);
        }

        List<String> lines = allLines();
        assertThat(lines).hasSize(LiveStageLog.MAX_LINES + 1 + LiveStageLog.TAIL_LINES);
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(
                LiveStageLog.MAX_LINE_CHARS + 3));
        assertThat(lines.get(LiveStageLog.MAX_LINES)).isEqualTo("(" + (printed - LiveStageLog.MAX_LINES
                - LiveStageLog.TAIL_LINES) + " more lines left out)");
        assertThat(told).allSatisfy(batch -> assertThat(batch.lines().size()).isLessThanOrEqualTo(
                LiveStageLog.BATCH_LINES + 1 + LiveStageLog.TAIL_LINES));
        // the tail holds the last lines (where a failure says why); long lines are cut
        assertThat(lines.get(lines.size() - 1)).isEqualTo("x".repeat(LiveStageLog.MAX_LINE_CHARS) + "...");
    }

    @Test
    void theLastLinesOfACappedBuildEndWithTheLastLinePrinted() {
        int printed = LiveStageLog.MAX_LINES + 80;
        try (LiveStageLog log = new LiveStageLog(progress, timer, Duration.ofHours(1))) {
            IntStream.range(0, printed).forEach(i -> log.add(StageStep.BUILD, "line " + i));
            log.endStep(StageStep.BUILD);
        }

        List<String> lines = allLines();
        assertThat(lines.subList(lines.size() - 2, lines.size())).containsExactly("line " + (printed - 2),
                "line " + (printed - 1));
        assertThat(lines).contains("(30 more lines left out)");
    }

    @Test
    void nothingIsToldOnceTheStageIsOver() {
        LiveStageLog log = new LiveStageLog(progress, timer, Duration.ofMillis(50));
        log.add(StageStep.BUILD, "waiting");
        log.endStep(StageStep.BUILD);
        log.close();
        log.add(StageStep.BUILD, "too late");

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> told.size() == 1);
        assertThat(allLines()).containsExactly("waiting");
    }
}
