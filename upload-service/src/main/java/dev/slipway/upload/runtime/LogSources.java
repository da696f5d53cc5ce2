package dev.slipway.upload.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of one log reading, each read on a thread of its own into the sink: lines bounded,
 * timestamps taken off, text cleaned. The sink hears {@code ended} once, after the last stream ended;
 * {@link #close} runs the stoppers (kill a process, close a connection) and stops the threads.
 */
final class LogSources implements AppRuntime.LogReading {

    private static final Logger log = LoggerFactory.getLogger(LogSources.class);
    /** Room for the timestamp a runtime puts before each line. */
    private static final int TIMESTAMP_ROOM = 64;

    private final AppRuntime.LogSink sink;
    private final int maxLineBytes;
    private final List<Thread> readers = new CopyOnWriteArrayList<>();
    private final List<Runnable> stoppers = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    LogSources(AppRuntime.LogSink sink, int maxLineBytes) {
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * What {@link #close} must do to stop a source (its process, its connection); done at once when the
     * reading is closed already, so a source started while it closed does not outlive it.
     */
    void onClose(Runnable stopper) {
        Runnable once = once(stopper);
        stoppers.add(once);
        // close() marks closed before it runs the stoppers: it runs this one, or this sees closed, or both
        if (closed.get()) {
            stop(once);
        }
    }

    /** Whether {@link #close} ran: a source checks this before it starts a process or connection. */
    boolean closed() {
        return closed.get();
    }

    /** Counts a stream before any is started, so the sink cannot hear "ended" while others are still to come. */
    void expect(int streams) {
        running.addAndGet(streams);
    }

    /** Where {@link #pump} puts each line; may block. */
    interface Lines {
        void accept(LogLine line) throws InterruptedException;
    }

    /** A source's work, run on a thread of its own by {@link #run}. */
    interface Task {
        void run() throws IOException, InterruptedException;
    }

    /** Reads {@code in} (lines led by an RFC 3339 timestamp and a space) into the sink on a thread of its own. */
    void read(String instance, String stream, InputStream in) {
        run(stream, () -> pump(instance, stream, in, sink::line));
    }

    /** Runs one source; when the last one expected ends (however), the sink hears that all ended. */
    void run(String name, Task task) {
        Thread reader = new Thread(() -> {
            try {
                task.run();
            } catch (IOException e) {
                if (!closed.get()) {
                    log.debug("a log of {} broke off: {}", name, e.getMessage());
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            } finally {
                if (running.decrementAndGet() == 0 && !closed.get()) {
                    sink.ended();
                }
            }
        }, "app-log-" + name);
        reader.setDaemon(true);
        readers.add(reader);
        reader.start();
    }

    /** Reads {@code in} to its end (or until closed) on this thread, each line bounded, parsed and cleaned. */
    void pump(String instance, String stream, InputStream in, Lines lines) throws IOException, InterruptedException {
        try (in) {
            BoundedLines bounded = new BoundedLines(in, maxLineBytes + TIMESTAMP_ROOM);
            for (BoundedLines.Line line = bounded.next(); line != null && !closed.get(); line = bounded.next()) {
                lines.accept(parse(instance, stream, line, maxLineBytes));
            }
        }
    }

    /** A thread of this reading (stopped with it) that pumps {@code in}; join it to wait for its end. */
    Thread pumpBeside(String instance, String stream, InputStream in, Lines lines) {
        Thread pump = new Thread(() -> {
            try {
                pump(instance, stream, in, lines);
            } catch (IOException e) {
                log.debug("a log of {} broke off: {}", instance, e.getMessage());
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }, "app-log-" + instance + "-" + stream);
        pump.setDaemon(true);
        readers.add(pump);
        pump.start();
        return pump;
    }

    /** Stops every source and its thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stoppers.forEach(LogSources::stop);
        readers.forEach(Thread::interrupt);
    }

    private static void stop(Runnable stopper) {
        try {
            stopper.run();
        } catch (RuntimeException e) {
            log.warn("could not stop a log source: {}", e.getMessage());
        }
    }

    private static Runnable once(Runnable stopper) {
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                stopper.run();
            }
        };
    }

    /** A line as a runtime gives it with timestamps on: {@code <RFC 3339 time> <text>}. */
    static LogLine parse(String instance, String stream, BoundedLines.Line raw, int maxLineBytes) {
        String text = raw.text();
        int space = text.indexOf(' ');
        Instant time = null;
        if (space > 0 && space < TIMESTAMP_ROOM) {
            try {
                time = OffsetDateTime.parse(text.substring(0, space)).toInstant();
                text = text.substring(space + 1);
            } catch (DateTimeParseException noTimestamp) {
                // the whole line is text
            }
        }
        return new LogLine(instance, time, stream, LogText.clean(text, raw.cut(), maxLineBytes));
    }
}
