package dev.slipway.staging.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;

/**
 * One running stage worker as its supervisor sees it: a process to hand one order to, lines to
 * read back, and a way to end it and everything it started. Lines are read with a cap, so a
 * worker that prints without end costs the service a bounded buffer, never its heap.
 */
final class WorkerProcess {

    static final int MAX_LINE_BYTES = 256 * 1024;
    private static final int STDERR_TAIL_BYTES = 2048;

    private final String name;
    private final Process process;
    private final Path scratch;
    private final Path errorLog;
    private final InputStream out;
    private final long startedNanos = System.nanoTime();
    private int stagesDone;

    WorkerProcess(String name, Process process, Path scratch, Path errorLog) {
        this.name = name;
        this.process = process;
        this.scratch = scratch;
        this.errorLog = errorLog;
        this.out = process.getInputStream();
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long ageMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Counts a stage this worker has run; answers how many it has run. */
    int stageDone() {
        return ++stagesDone;
    }

    void send(WorkOrder order) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(WorkerJson.mapper().writeValueAsBytes(order));
        in.write('\n');
        in.flush();
    }

    /**
     * The next message, or empty at the end of the worker's output. A line that is not a message
     * (the JVM's own last words, say) comes back as a log line.
     */
    Optional<WorkerMessage> next() throws IOException {
        String line = readLine();
        if (line == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(WorkerJson.mapper().readValue(line, WorkerMessage.class));
        } catch (JacksonException notAMessage) {
            return Optional.of(new WorkerMessage.Logged(null, line));
        }
    }

    /** The worker said something the supervisor cannot take: it is ended, not trusted further. */
    static final class ProtocolBroken extends IOException {
        ProtocolBroken(String message) {
            super(message);
        }
    }

    /** Waits up to {@code millis} for the process to end; answers its exit code, or empty if it still runs. */
    Optional<Integer> awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
    }

    /** Kills the worker and whatever it started, at once (SIGKILL: a stage gets no say in it). */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The last lines the worker's JVM wrote on standard error, such as why it terminated. */
    List<String> errorTail() {
        try (RandomAccessFile file = new RandomAccessFile(errorLog.toFile(), "r")) {
            long from = Math.max(0, file.length() - STDERR_TAIL_BYTES);
            byte[] tail = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(tail);
            return new String(tail, StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException gone) {
            return List.of();
        }
    }

    /** Kills the worker if it still runs and removes its scratch folder and error log. */
    void discard() {
        kill();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Folders.deleteQuietly(scratch);
        errorLog.toFile().delete();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = out.read()) >= 0 && b != '\n') {
            if (line.size() >= MAX_LINE_BYTES) {
                throw new ProtocolBroken("the stage worker wrote a line longer than " + MAX_LINE_BYTES / 1024
                        + " KiB");
            }
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
