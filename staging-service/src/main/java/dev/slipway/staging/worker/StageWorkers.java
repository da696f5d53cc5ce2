package dev.slipway.staging.worker;

import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageStep;
import dev.slipway.events.logging.EventMdc;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises stage workers: keeps {@code spares} started and warm ahead of need, runs each stage
 * in one with the stage's own CPU-time and wall-clock limits, reads what it reports, and turns a
 * worker that dies, is killed or passes a limit into a failure that names what happened. A worker
 * that staged successfully goes back to wait for the next stage (a warm JVM builds ten times
 * faster than a cold one) until it has run {@code stagesPerWorker}; after any failed stage it is
 * replaced. Whatever a worker does, the caller gets an outcome, and the service goes on.
 */
public final class StageWorkers implements AutoCloseable, WorkerImageBuilder.StageRunner {

    private static final Logger log = LoggerFactory.getLogger(StageWorkers.class);
    /** The JVM's exit code under {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int EXIT_OUT_OF_MEMORY = 3;
    /** 128 + SIGXCPU: the kernel's answer to a process past its CPU-time limit. */
    static final int EXIT_CPU_LIMIT = 128 + 24;

    private final WorkerLauncher launcher;
    private final WorkerSettings settings;
    private final LinkedBlockingDeque<WorkerProcess> spares = new LinkedBlockingDeque<>();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, WorkerProcess> busy = new ConcurrentHashMap<>();
    /** Workers launched but not yet ready: close() ends them too, or they would outlive it. */
    private final Set<WorkerProcess> starting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("stage-worker-timer"));
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(daemon("stage-worker-starter"));
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger failedStartsInARow = new AtomicInteger();
    private final AtomicReference<String> lastStartFailure = new AtomicReference<>();
    private final AtomicLong lastReadyMillis = new AtomicLong(-1);
    private final AtomicBoolean closed = new AtomicBoolean();

    public StageWorkers(WorkerSettings settings, java.nio.file.Path workerHome) throws IOException {
        this.settings = settings;
        // scratch folders and logs of workers of a service that was killed (not of a live one beside it)
        if (java.nio.file.Files.isDirectory(workerHome)) {
            Folders.sweep(workerHome, path -> Folders.leftByDeadProcess(path, "worker-"));
        }
        this.launcher = new WorkerLauncher(settings, workerHome);
        for (int i = 0; i < settings.spares(); i++) {
            starter.execute(this::startSpare);
        }
    }

    /** A stage being worked on, for the health endpoint and for operators who need its pid. */
    public record Running(String stage, long pid, long startedMillis) {
    }

    /** What the workers are doing now, and whether new ones can be started. */
    public record Status(int sparesReady, List<Running> running, int failedStartsInARow, String lastStartFailure,
                         long lastWarmupMillis, List<String> command) {
    }

    public Status status() {
        return new Status((int) spares.stream().filter(WorkerProcess::isAlive).count(), List.copyOf(running.values()),
                failedStartsInARow.get(), lastStartFailure.get(), lastReadyMillis.get(), launcher.command());
    }

    /**
     * Runs one stage in a worker of its own: hands it the order, passes on every message but the
     * last, and answers the last (built or failed). Never throws for anything the worker does.
     */
    @Override
    public WorkerMessage run(String stage, WorkOrder order, Consumer<WorkerMessage> progress) {
        if (closed.get()) {
            return stopping(StageStep.UNPACK);
        }
        WorkerProcess worker;
        try {
            worker = take();
        } catch (IOException | RejectedExecutionException e) {
            return closed.get() ? stopping(StageStep.UNPACK) : new WorkerMessage.Failed(StageStep.UNPACK,
                    ReasonCodes.STAGE_WORKER_DIED, "a stage worker could not be started (" + e.getMessage()
                    + "); check staging-service's health and log, then replay the push", true);
        }
        running.put(worker.name(), new Running(stage, worker.pid(), System.currentTimeMillis()));
        busy.put(worker.name(), worker);
        // the stage and its deadline race to end it; whichever sets the state first has the say
        AtomicReference<StageState> state = new AtomicReference<>(StageState.RUNNING);
        ScheduledFuture<?> deadline = null;
        StageStep step = StageStep.UNPACK;
        WorkerMessage outcome = null;
        try {
            deadline = timers.schedule(EventMdc.carrying(() -> {
                if (state.compareAndSet(StageState.RUNNING, StageState.TIMED_OUT)) {
                    worker.kill();
                }
            }), settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            launcher.limitCpu(worker, settings.cpuTime());
            worker.send(order);
            Optional<WorkerMessage> message;
            while (outcome == null && (message = worker.next()).isPresent()) {
                WorkerMessage said = message.get();
                if (said instanceof WorkerMessage.Built || said instanceof WorkerMessage.Failed) {
                    outcome = said;
                } else if (!(said instanceof WorkerMessage.Ready)) {
                    if (said instanceof WorkerMessage.StepFinished) {
                        step = StageStep.BUILD;
                    }
                    progress.accept(said);
                }
            }
            if (outcome == null) {
                Optional<Integer> exit = worker.awaitExit(5_000);
                worker.errorTail().forEach(line -> progress.accept(new WorkerMessage.Logged(null, "worker: " + line)));
                outcome = ended(step, exit, state.get() == StageState.TIMED_OUT);
            }
        } catch (WorkerProcess.ProtocolBroken broken) {
            worker.kill();
            outcome = new WorkerMessage.Failed(step, ReasonCodes.STAGE_WORKER_DIED, broken.getMessage() + during(step)
                    + ", and was stopped; replay the push, and report it if it happens again", false);
        } catch (IOException e) {
            // its pipes broke: it is gone, or going
            worker.kill();
            outcome = ended(step, awaitQuietly(worker), state.get() == StageState.TIMED_OUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = stopping(step);
        } catch (RejectedExecutionException e) {
            outcome = stopping(step);
        } finally {
            boolean stageWon = state.compareAndSet(StageState.RUNNING, StageState.DONE);
            if (deadline != null) {
                deadline.cancel(false);
            }
            running.remove(worker.name());
            busy.remove(worker.name());
            if (closed.get() && !(outcome instanceof WorkerMessage.Built)) {
                outcome = stopping(step);
            }
            release(worker, stageWon && outcome instanceof WorkerMessage.Built);
        }
        return outcome;
    }

    private enum StageState { RUNNING, DONE, TIMED_OUT }

    /** A stage cut short because the service stops: not the user's fault, so replaying it may work. */
    private static WorkerMessage.Failed stopping(StageStep step) {
        return new WorkerMessage.Failed(step, ReasonCodes.STAGE_WORKER_DIED, "staging-service stopped during the "
                + "stage; replay the push once it is back", true);
    }

    /** A worker whose stage went well waits for the next one; any other is replaced. */
    private void release(WorkerProcess worker, boolean wentWell) {
        if (wentWell && worker.stageDone() < settings.stagesPerWorker() && worker.isAlive() && !closed.get()
                && settings.spares() > 0) {
            // the warmest first; a colder spare started meanwhile makes way for it
            spares.addFirst(worker);
            WorkerProcess extra;
            while (spares.size() > settings.spares() && (extra = spares.pollLast()) != null) {
                extra.discard();
            }
        } else {
            worker.discard();
        }
        if (!closed.get()) {
            try {
                starter.execute(this::startSpare);
            } catch (RejectedExecutionException stopping) {
                // closed meanwhile: no spare is wanted
            }
        }
    }

    /** Why a worker ended without an outcome, in the words of the limit it passed. */
    private WorkerMessage.Failed ended(StageStep step, Optional<Integer> exit, boolean timedOut) {
        String during = during(step);
        if (timedOut) {
            return new WorkerMessage.Failed(step, ReasonCodes.STAGE_TIMEOUT, "the stage did not finish within "
                    + format(settings.timeout()) + during + "; make the source smaller or simpler, or raise "
                    + "slipway.staging.worker.timeout", false);
        }
        int code = exit.orElse(-1);
        if (code == EXIT_OUT_OF_MEMORY) {
            return new WorkerMessage.Failed(step, ReasonCodes.STAGE_MEMORY_LIMIT, "the stage ran out of its "
                    + settings.memory().toMegabytes() + " MB of memory" + during + "; make the source smaller, or "
                    + "raise slipway.staging.worker.memory", false);
        }
        if (code == EXIT_CPU_LIMIT) {
            return new WorkerMessage.Failed(step, ReasonCodes.STAGE_CPU_LIMIT, "the stage used up its "
                    + format(settings.cpuTime()) + " of CPU time" + during + "; make the source smaller or simpler, "
                    + "or raise slipway.staging.worker.cpu-time", false);
        }
        return new WorkerMessage.Failed(step, ReasonCodes.STAGE_WORKER_DIED, "the stage worker died" + during
                + " without a word (" + (code < 0 ? "no exit code" : code > 128 ? "killed by signal " + (code - 128)
                : "exit code " + code) + "); replay the push, and report it if it happens again", false);
    }

    /** A warm spare, or else a new worker once it is ready. */
    private WorkerProcess take() throws IOException {
        WorkerProcess spare;
        while ((spare = spares.pollFirst()) != null) {
            if (spare.isAlive()) {
                return spare;
            }
            log.warn("stage worker {} died while waiting for work; starting another", spare.name());
            spare.discard();
        }
        return startReady();
    }

    /** Starts a worker and waits, at most a minute, for its first line: ready, and warm. */
    private WorkerProcess startReady() throws IOException {
        WorkerProcess worker = launcher.start(nextName());
        starting.add(worker);
        Optional<WorkerMessage> first;
        boolean inTime;
        try {
            if (closed.get()) {
                worker.kill();
            }
            AtomicBoolean answered = new AtomicBoolean();
            ScheduledFuture<?> tooSlow = timers.isShutdown() ? null : timers.schedule(() -> {
                if (answered.compareAndSet(false, true)) {
                    worker.kill();
                }
            }, 60, TimeUnit.SECONDS);
            first = worker.next();
            inTime = answered.compareAndSet(false, true);
            if (tooSlow != null) {
                tooSlow.cancel(false);
            }
        } catch (IOException | RuntimeException e) {
            worker.discard();
            throw e;
        } finally {
            starting.remove(worker);
        }
        if (!inTime || first.isEmpty() || !(first.get() instanceof WorkerMessage.Ready ready)) {
            String why = String.join(" / ", worker.errorTail());
            worker.discard();
            throw new IOException("a stage worker ended before it was ready: " + why);
        }
        lastReadyMillis.set(ready.warmupMillis());
        return worker;
    }

    private void startSpare() {
        if (closed.get() || spares.size() >= settings.spares()) {
            return;
        }
        try {
            spares.addLast(startReady());
            failedStartsInARow.set(0);
        } catch (IOException | RuntimeException e) {
            failedStartsInARow.incrementAndGet();
            lastStartFailure.set(e.getMessage());
            log.error("cannot start a stage worker: {}", e.getMessage());
            starter.schedule(this::startSpare, 5, TimeUnit.SECONDS);
        }
        if (closed.get()) {
            spares.forEach(WorkerProcess::discard);
        }
    }

    private String nextName() {
        return "worker-" + ProcessHandle.current().pid() + "-" + sequence.incrementAndGet();
    }

    private static String during(StageStep step) {
        return " while " + (step == StageStep.UNPACK ? "unpacking" : "building");
    }

    private static Optional<Integer> awaitQuietly(WorkerProcess worker) {
        try {
            return worker.awaitExit(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String format(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Ends every worker, spare or busy: a stopping service leaves no stage running behind it. */
    @Override
    public void close() {
        closed.set(true);
        starter.shutdownNow();
        timers.shutdownNow();
        WorkerProcess spare;
        while ((spare = spares.pollFirst()) != null) {
            spare.discard();
        }
        busy.values().forEach(worker -> {
            log.info("stopping stage worker {} of stage {}", worker.name(), running.get(worker.name()));
            worker.kill();
        });
        // a spare being started reads its first line; killed, it ends at once, and the starter
        // removes its scratch folder before close returns (nothing writes under workerHome after)
        starting.forEach(WorkerProcess::kill);
        try {
            if (!starter.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("a stage worker being started did not end within 10 s of closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        spares.forEach(WorkerProcess::discard);
    }
}
