package dev.slipway.upload.runtime;

import dev.slipway.events.AppRef;
import dev.slipway.events.RuntimeLabels;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An app's containers on this machine, read through the podman command line in processes of its
 * own: {@code ps} and {@code inspect} for the instances, one {@code podman logs} per instance for
 * the logs (its stdout and stderr read apart, so each line keeps its stream). Only the containers
 * of this installation with the app's labels ({@link RuntimeLabels}) are read.
 */
final class PodmanRuntime implements AppRuntime {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final File NO_INPUT = new File("/dev/null");

    private final String podman;
    private final String ociRuntime;
    private final String installation;

    PodmanRuntime(String podman, String ociRuntime, String installation) {
        this.podman = podman;
        this.ociRuntime = ociRuntime;
        this.installation = installation;
    }

    @Override
    public List<Instance> instances(AppRef app) throws IOException {
        List<String> names = containers(app);
        if (names.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of("inspect", "--type", "container"));
        args.addAll(names);
        return PodmanJson.instances(run(args));
    }

    /**
     * Per instance: its last lines (podman 4's own {@code --tail} joins a line to the long line after it,
     * so the tail is kept here, in a bounded ring), then with {@code follow} a second {@code podman logs
     * --follow} from the last line's time on, dropping what was shown already.
     */
    @Override
    public LogReading logs(AppRef app, LogRequest request, LogSink sink) throws IOException {
        List<String> names = containers(app);
        LogSources sources = new LogSources(sink, request.maxLineBytes());
        if (names.isEmpty()) {
            sink.ended();
            return sources;
        }
        sources.expect(names.size());
        for (String name : names) {
            sources.run(name, () -> read(name, request, sources, sink));
        }
        return sources;
    }

    private void read(String name, LogRequest request, LogSources sources, LogSink sink)
            throws IOException, InterruptedException {
        Instant began = Instant.now();
        LastLines last = new LastLines(request.tail());
        Process sofar = startUnlessClosed(logsCommand(name, request.since(), false), sources);
        if (sofar == null) {
            return;
        }
        Thread errors = sources.pumpBeside(name, "stderr", sofar.getErrorStream(), last::add);
        sources.pump(name, "stdout", sofar.getInputStream(), last::add);
        errors.join();
        Instant shown = null;
        for (LogLine line : last.inOrder()) {
            sink.line(line);
            shown = line.time() == null ? shown : line.time();
        }
        if (!request.follow()) {
            return;
        }
        Instant after = shown != null ? shown : request.since() != null && request.since().isAfter(began)
                ? request.since() : began;
        // the client may have left while the past was read (a long log takes seconds): then no follow starts
        Process later = startUnlessClosed(logsCommand(name, after, true), sources);
        if (later == null) {
            return;
        }
        LogSources.Lines newer = line -> {
            if (line.time() == null || line.time().isAfter(after)) {
                sink.line(line);
            }
        };
        Thread laterErrors = sources.pumpBeside(name, "stderr", later.getErrorStream(), newer);
        sources.pump(name, "stdout", later.getInputStream(), newer);
        laterErrors.join();
    }

    /** The newest lines of a log, at most {@code size}, in time order at the end. */
    private static final class LastLines {
        private final int size;
        private final ArrayDeque<LogLine> lines = new ArrayDeque<>();

        LastLines(int size) {
            this.size = size;
        }

        synchronized void add(LogLine line) {
            if (lines.size() == size) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }

        /** stdout and stderr were read apart: merged by time (lines without one first). */
        synchronized List<LogLine> inOrder() {
            List<LogLine> ordered = new ArrayList<>(lines);
            ordered.sort(Comparator.comparing(LogLine::time, Comparator.nullsFirst(Comparator.naturalOrder())));
            return ordered;
        }
    }

    List<String> logsCommand(String container, Instant since, boolean follow) {
        List<String> line = new ArrayList<>(List.of(podman, "--runtime", ociRuntime, "logs", "--timestamps"));
        if (since != null) {
            line.addAll(List.of("--since", DateTimeFormatter.ISO_INSTANT.format(since)));
        }
        if (follow) {
            line.add("--follow");
        }
        line.add(container);
        return line;
    }

    /** The newest revision's containers of the app in this installation. */
    private List<String> containers(AppRef app) throws IOException {
        return PodmanJson.newestRevision(run(List.of("ps", "-a", "--filter", "label=" + RuntimeLabels.APP + "="
                + RuntimeLabels.localApp(app), "--filter", "label=" + RuntimeLabels.INSTALLATION + "=" + installation,
                "--format", "json")));
    }

    /**
     * A {@code podman logs} that closing the reading kills (at once, when it closed while this started),
     * or null when the reading is closed already: an interrupt does not stop a process, only a kill does.
     */
    private Process startUnlessClosed(List<String> line, LogSources sources) throws IOException {
        if (sources.closed()) {
            return null;
        }
        Process process = start(line);
        sources.onClose(() -> kill(process));
        return process;
    }

    private Process start(List<String> line) throws IOException {
        try {
            return new ProcessBuilder(line).redirectInput(NO_INPUT).start();
        } catch (IOException missing) {
            throw new IOException("cannot run '" + podman + "' (" + missing.getMessage() + "); install podman and runc "
                    + "or set slipway.local.podman", missing);
        }
    }

    /** A reader of logs holds nothing worth a graceful stop: it and anything it started go at once. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** {@code podman <args>}'s standard output; its error output becomes the failure's message. */
    private String run(List<String> args) throws IOException {
        List<String> line = new ArrayList<>(List.of(podman, "--runtime", ociRuntime));
        line.addAll(args);
        // output to files, so a podman that hangs is stopped at the timeout rather than read forever
        Path out = Files.createTempFile("slipway-podman", ".out");
        Path err = Files.createTempFile("slipway-podman", ".err");
        try {
            Process process;
            try {
                process = new ProcessBuilder(line).redirectInput(NO_INPUT).redirectOutput(out.toFile())
                        .redirectError(err.toFile()).start();
            } catch (IOException missing) {
                throw new IOException("cannot run '" + podman + "' (" + missing.getMessage() + "); install podman "
                        + "and runc or set slipway.local.podman", missing);
            }
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new IOException("podman " + args.get(0) + " did not finish within " + COMMAND_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IOException("podman " + args.get(0) + " failed: " + Files.readString(err,
                        StandardCharsets.UTF_8).strip());
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running podman " + args.get(0), e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
