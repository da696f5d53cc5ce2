package dev.slipway.upload.runtime;

import dev.slipway.events.EventJson;
import dev.slipway.upload.limits.UserSlots;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One log request's stream to its client: the reading's lines pass through a bounded queue (a client
 * that reads slowly holds the reading up rather than filling memory), a comment line goes out while the
 * log is quiet, and last an {@code end} event says why the stream ends, so a client can tell a log read
 * to its end from one cut short. A stream whose time is up stops its reading but still sends the lines it
 * holds, in order, before its {@code end}. The stream holds its user's slot until it is over.
 */
final class LogStream implements AppRuntime.LogSink {

    /** Lines waiting for a slow client; beyond it, the readers wait. */
    private static final int QUEUED_LINES = 1024;
    /**
     * How long past its limit a stream may take to send the lines it still holds to a slow client; then
     * the container ends it without its {@code end} event (the client then sees the connection cut).
     */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(30);

    /** Why a stream ended: the {@code end} event's {@code reason}. Only {@link #COMPLETE} is a normal end. */
    enum Reason {
        /** everything asked for was sent: a log to its end, a build log to the end of its staging */
        COMPLETE,
        /** a read without follow ran past {@code slipway.logs.read-timeout} */
        TIMEOUT,
        /** a follow reached {@code slipway.logs.follow-timeout} */
        CAP,
        /** every followed instance stopped (ended, crashed, removed or replaced by a deploy) */
        INSTANCES_ENDED,
        /** the service is stopping */
        STOPPING;

        String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** An {@code end} event: why, and what the user may do next. */
    record Ending(Reason reason, String message) {
    }

    /**
     * What the stream says when it ends.
     *
     * @param read     the reading ended by itself (every log read, or every followed instance stopped)
     * @param timeUp   the stream's limit passed
     * @param stopping the service is stopping
     */
    record Endings(Ending read, Ending timeUp, Ending stopping) {
    }

    private final SseEmitter emitter;
    private final Duration limit;
    private final Duration heartbeat;
    private final Endings endings;
    private final BlockingQueue<Optional<LogLine>> lines = new LinkedBlockingQueue<>(QUEUED_LINES);
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile AppRuntime.LogReading reading = () -> { };
    private volatile UserSlots.Slot slot;

    /** {@code limit}: how long the stream may last; {@code heartbeat}: how often a quiet one sends a comment. */
    LogStream(Duration limit, Duration heartbeat, Endings endings) {
        this.emitter = new SseEmitter(limit.plus(DRAIN_GRACE).toMillis());
        this.limit = limit;
        this.heartbeat = heartbeat;
        this.endings = endings;
        // the client went away or the container ended the request: stop reading, wake the writer, free the slot
        emitter.onCompletion(this::stop);
        emitter.onTimeout(this::stop);
        emitter.onError(error -> stop());
    }

    SseEmitter emitter() {
        return emitter;
    }

    /** The reading that feeds this stream and the user's slot: both end with the stream. */
    void holds(AppRuntime.LogReading reading, UserSlots.Slot slot) {
        this.reading = reading;
        this.slot = slot;
    }

    @Override
    public void line(LogLine line) throws InterruptedException {
        lines.put(Optional.of(line));
    }

    /** Waits for room like a line does: the end must come after every line, never instead of one. */
    @Override
    public void ended() {
        try {
            lines.put(Optional.empty());
        } catch (InterruptedException closed) {
            Thread.currentThread().interrupt();
        }
    }

    /** The stream's work, on a thread of its own: sends until the stream is over, then frees what it held. */
    void write() {
        boolean interrupted = false;
        try {
            // the answer's status and headers leave at once, not with the first line or heartbeat of a quiet log
            emitter.send(SseEmitter.event().comment("reading"));
            Ending ending;
            try {
                ending = relay();
            } catch (InterruptedException stopping) {
                interrupted = true;
                ending = endings.stopping();
            }
            if (ending != null) {
                end(ending);
            }
        } catch (IOException | IllegalStateException clientGone) {
            endAfterFailedWrite(clientGone);
        } finally {
            stop();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends a stream that cannot be written (the service is stopping): only its {@code end} event. */
    void endAtOnce() {
        try {
            end(endings.stopping());
        } catch (IOException | IllegalStateException clientGone) {
            endAfterFailedWrite(clientGone);
        } finally {
            stop();
        }
    }

    /** Sends lines until the reading ends or the time is up (their ending), or the client is gone (null). */
    private Ending relay() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!over.get()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return endings.timeUp();
            }
            Optional<LogLine> next = lines.poll(Math.min(heartbeat.toNanos(), left), TimeUnit.NANOSECONDS);
            if (over.get()) {
                return null;
            }
            if (next == null) {
                if (System.nanoTime() - deadline < 0) {
                    // only a write finds a closed connection: a quiet log checks so and frees its reading
                    emitter.send(SseEmitter.event().comment("waiting"));
                }
            } else if (next.isEmpty()) {
                return endings.read();
            } else {
                send(next.get());
            }
        }
        return null;
    }

    /**
     * A stream cut short stops its reading, then sends what it still holds, so the client gets every line
     * up to the cut and knows where it is; a stopping service does not wait for a slow client.
     */
    private void end(Ending ending) throws IOException {
        if (ending != endings.read()) {
            reading.close();
            if (ending.reason() != Reason.STOPPING) {
                for (Optional<LogLine> held = lines.poll(); held != null; held = lines.poll()) {
                    if (held.isPresent()) {
                        send(held.get());
                    }
                }
            }
        }
        Map<String, String> end = new LinkedHashMap<>();
        end.put("reason", ending.reason().wireName());
        end.put("message", ending.message());
        emitter.send(SseEmitter.event().name("end").data(EventJson.mapper().writeValueAsString(end),
                MediaType.APPLICATION_JSON));
        emitter.complete();
    }

    private void send(LogLine line) throws IOException {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("instance", line.instance());
        shown.put("time", line.time() == null ? null : line.time().toString());
        shown.put("stream", line.stream());
        shown.put("line", line.line());
        emitter.send(SseEmitter.event().name("log").data(EventJson.mapper().writeValueAsString(shown),
                MediaType.APPLICATION_JSON));
    }

    /** Once, however the stream ends: the reading stops, a writer waiting for a line wakes, the slot is free. */
    private void stop() {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        reading.close();
        lines.offer(Optional.empty());
        if (slot != null) {
            slot.close();
        }
    }

    /**
     * A failed write is the client gone. The container usually notices it too and ends the request on
     * its own thread; ending it here as well is then refused, which is no fault: the stream has ended.
     */
    private void endAfterFailedWrite(Exception clientGone) {
        try {
            emitter.completeWithError(clientGone);
        } catch (IllegalStateException alreadyEnded) {
            // the container ended the request first
        }
    }
}
