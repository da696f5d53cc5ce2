package dev.slipway.staging.worker;

import dev.slipway.events.StageStep;
import dev.slipway.events.logging.EventMdc;
import dev.slipway.staging.build.BuildProgress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A stage's build output told while the build runs: lines wait until {@link #BATCH_LINES} of them
 * are waiting or {@code maxWait} has passed since the first waiting one, then go out as one
 * {@code stage.log} event; a step's end sends what waits before the step's own event. Lines keep their
 * order. A stage tells at most {@link #MAX_LINES} lines of at most {@link #MAX_LINE_CHARS} characters,
 * so a verbose build cannot flood the event log; past that only the last {@link #TAIL_LINES} lines of the
 * step are kept (where a failure says why), told at the step's end after a note of how many were left out.
 * Every call that tells {@link BuildProgress} holds this log's lock, so the timer's batches and the
 * step events never cross. The kubernetes builder tells its Job's log through it too.
 */
public final class LiveStageLog implements AutoCloseable {

    static final int BATCH_LINES = 50;
    static final int MAX_LINES = 1000;
    static final int MAX_LINE_CHARS = 1000;
    static final int TAIL_LINES = 50;

    private final BuildProgress progress;
    private final ScheduledExecutorService timer;
    private final Duration maxWait;
    private final List<String> waiting = new ArrayList<>();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private StageStep waitingStep;
    private ScheduledFuture<?> scheduled;
    private int told;
    private int leftOut;
    private boolean closed;

    public LiveStageLog(BuildProgress progress, ScheduledExecutorService timer, Duration maxWait) {
        this.progress = progress;
        this.timer = timer;
        this.maxWait = maxWait;
    }

    public synchronized void add(StageStep step, String line) {
        if (closed) {
            return;
        }
        if (waitingStep != null && waitingStep != step) {
            endStep(waitingStep);
        }
        String kept = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line;
        if (told + waiting.size() >= MAX_LINES) {
            tail.addLast(kept);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
                leftOut++;
            }
            waitingStep = step;
            return;
        }
        waiting.add(kept);
        waitingStep = step;
        if (waiting.size() >= BATCH_LINES) {
            sendWaiting();
        } else if (scheduled == null) {
            // the timer's batch belongs to the push being staged: its log lines say so
            scheduled = timer.schedule(EventMdc.carrying(this::sendWaitingNow), maxWait.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** {@code step} ended: what it printed goes out first, then the step's event. */
    public synchronized void stepFinished(StageStep step, long millis, String detail) {
        if (waitingStep == step) {
            endStep(step);
        }
        progress.stepFinished(step, millis, detail);
    }

    /** Sends what waits (told as {@code step}'s when nothing names a step), the note of lines left out and the kept tail. */
    public synchronized void endStep(StageStep step) {
        if (waitingStep == null && leftOut == 0 && tail.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>(waiting);
        if (leftOut > 0) {
            lines.add("(" + leftOut + " more lines left out)");
        }
        lines.addAll(tail);
        waiting.clear();
        tail.clear();
        leftOut = 0;
        cancelTimer();
        StageStep of = waitingStep != null ? waitingStep : step;
        waitingStep = null;
        if (!lines.isEmpty()) {
            told += lines.size();
            progress.logged(of, List.copyOf(lines));
        }
    }

    /** The stage is over: nothing is told after this (a late timer finds nothing to do). */
    @Override
    public synchronized void close() {
        cancelTimer();
        closed = true;
    }

    private synchronized void sendWaitingNow() {
        scheduled = null;
        if (!closed) {
            sendWaiting();
        }
    }

    private void sendWaiting() {
        cancelTimer();
        if (waiting.isEmpty()) {
            return;
        }
        List<String> batch = List.copyOf(waiting);
        waiting.clear();
        told += batch.size();
        progress.logged(waitingStep, batch);
    }

    private void cancelTimer() {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }
}
