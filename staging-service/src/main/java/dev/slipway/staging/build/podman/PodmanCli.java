package dev.slipway.staging.build.podman;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The podman command line as builds use it (in a stage worker, never in a service's process): each
 * command's output handed on line by line while it runs, a deadline after which the command (and the
 * container it names) is ended, and the last lines kept for the failure message.
 */
public final class PodmanCli {

    /** Lines of output kept for a failure's message. */
    static final int TAIL_LINES = 40;
    /** The labels of the build network, whichever build makes it first. */
    public static final Map<String, String> BUILD_NETWORK_LABELS = Map.of("dev.slipway.role", "build");

    /** A longer line is cut: one line a build prints must not fill the worker's memory or a log event. */
    static final int MAX_LINE_CHARS = 1000;

    /** How a command ended: its exit code ({@code -1} when its deadline ended it) and its last lines. */
    public record Result(int exitCode, List<String> tail, boolean timedOut) {

        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        public String tailText() {
            return String.join("\n", tail);
        }
    }

    private final String command;
    private final String ociRuntime;

    /** {@code command}: the podman binary; {@code ociRuntime}: the OCI runtime it runs containers with (runc here). */
    public PodmanCli(String command, String ociRuntime) {
        this.command = command;
        this.ociRuntime = ociRuntime;
    }

    /**
     * Runs {@code podman --runtime <oci runtime> <args>}, output and errors merged and handed to
     * {@code lines} as they come. Past {@code timeout} the command is killed and, when
     * {@code containerName} is given, that container is removed (a killed {@code podman run} leaves
     * its container running).
     */
    public Result run(List<String> args, Duration timeout, String containerName, Consumer<String> lines)
            throws IOException, InterruptedException {
        return run(args, Map.of(), timeout, containerName, lines);
    }

    /**
     * As {@link #run(List, Duration, String, Consumer)}, with {@code env} added to podman's environment:
     * for values that must not be on a command line, which any local user can read.
     */
    public Result run(List<String> args, Map<String, String> env, Duration timeout, String containerName,
                      Consumer<String> lines) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command, "--runtime", ociRuntime));
        line.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        // netavark runs iptables/nft from the sbin folders, which a stage worker's short PATH lacks
        builder.environment().merge("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
                (path, ignored) -> path.contains("/usr/sbin") ? path : path + ":/usr/sbin:/sbin");
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String read;
                while ((read = readLine(output)) != null) {
                    synchronized (tail) {
                        tail.addLast(read);
                        if (tail.size() > TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                    lines.accept(read);
                }
            } catch (IOException closed) {
                // the process was killed: what it said so far has been passed on
            }
        }, "podman-output");
        reader.setDaemon(true);
        reader.start();
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            // what podman started beneath it first (a build's RUN step, its runtime), then podman itself
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            if (containerName != null) {
                removeContainer(containerName);
            }
            process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(5_000);
        synchronized (tail) {
            return new Result(ended ? process.exitValue() : -1, List.copyOf(tail), !ended);
        }
    }

    /** One line of at most {@link #MAX_LINE_CHARS} characters (the rest of a longer one is skipped), or null at the end. */
    static String readLine(BufferedReader reader) throws IOException {
        StringBuilder line = new StringBuilder();
        long skipped = 0;
        int read;
        while ((read = reader.read()) != -1) {
            if (read == '\n') {
                break;
            }
            if (line.length() < MAX_LINE_CHARS) {
                line.append((char) read);
            } else {
                skipped++;
            }
        }
        if (read == -1 && line.length() == 0 && skipped == 0) {
            return null;
        }
        if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        }
        return skipped == 0 ? line.toString() : line + "... (" + skipped + " more characters)";
    }

    /** Runs a short command and answers its output; for inspecting, creating networks, pushing. */
    public Result exec(List<String> args, Duration timeout) throws IOException, InterruptedException {
        return run(args, timeout, null, ignored -> { });
    }

    /** Removes a container whatever its state; quietly, as it may already be gone. */
    public void removeContainer(String name) {
        try {
            exec(List.of("rm", "-f", "-t", "0", "--", name), Duration.ofSeconds(30));
        } catch (IOException e) {
            // nothing more to do: the name is unique to its stage, so a leftover harms no other build
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Makes sure the bridge network {@code name} exists, with netavark's {@code isolate} option: builds on
     * it reach the network beyond the host (package registries) but not the host's loopback, where the
     * platform's servers listen, nor the apps' networks. A create racing another is no failure.
     */
    public void ensureIsolatedNetwork(String name, Map<String, String> labels) throws IOException,
            InterruptedException {
        if (exec(List.of("network", "exists", name), Duration.ofSeconds(30)).ok()) {
            return;
        }
        List<String> create = new ArrayList<>(List.of("network", "create", "--driver", "bridge", "--opt",
                "isolate=true"));
        labels.forEach((key, value) -> create.addAll(List.of("--label", key + "=" + value)));
        create.add(name);
        Result created = exec(create, Duration.ofSeconds(30));
        if (!created.ok() && !exec(List.of("network", "exists", name), Duration.ofSeconds(30)).ok()) {
            throw new IOException("podman could not create the build network " + name + ": " + created.tailText());
        }
    }
}
