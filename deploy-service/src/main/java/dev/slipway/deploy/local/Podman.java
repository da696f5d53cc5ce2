package dev.slipway.deploy.local;

import dev.slipway.events.RuntimeLabels;
import dev.slipway.events.AppRef;
import dev.slipway.events.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The podman command line, with the flags that run containers on these machines: runc as the OCI
 * runtime, the bridge network of the app's namespace with the instance's port published on the host's
 * loopback only, memory and process limits, bounded ulimits, plain HTTP to a registry on this machine
 * only, and an init as PID 1 (see {@link ContainerInit}) so that SIGTERM reaches the app and a stop
 * takes as long as the app needs, not the whole stop timeout.
 */
class Podman {

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * How often podman starts a crashed instance again (its exit code not 0) before leaving it stopped:
     * a crash shows as a restart in the app's instances, and a crash loop ends. A stop is no crash.
     */
    static final int RESTARTS_ON_FAILURE = 3;

    /** How long podman may take beyond a stop's own timeout (its start-up, the container's teardown). */
    private static final Duration STOP_OVERHEAD = Duration.ofSeconds(10);

    private final String command;
    private final String ociRuntime;
    private final String installation;
    private final Optional<Path> init;
    private final long stopSeconds;

    /**
     * {@code installation}: the label that sets this installation's containers apart from others on the
     * machine; {@code init}: the init to run apps under, if any; {@code stopTimeout}: how long an app has
     * between SIGTERM and SIGKILL (podman counts in whole seconds, so it is rounded up).
     */
    Podman(String command, String ociRuntime, String installation, Optional<Path> init, Duration stopTimeout) {
        this.command = command;
        this.ociRuntime = ociRuntime;
        this.installation = installation;
        this.init = init;
        this.stopSeconds = (stopTimeout.toMillis() + 999) / 1000;
    }

    /**
     * Starts one instance in the background on its namespace's network; env values travel in a private
     * file, not on the command line. The app listens on {@code PORT} inside, published as the same port
     * on 127.0.0.1 only: the router reaches it there, while other machines and other containers do not.
     */
    Result run(RunRequest instance, Map<String, String> labels, Map<String, String> env) throws IOException {
        Path envFile = Files.createTempFile("slipway-env", ".list",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            StringBuilder lines = new StringBuilder();
            env.forEach((key, value) -> lines.append(key).append('=').append(value.replace("\n", " ")).append('\n'));
            Files.writeString(envFile, lines);
            String port = String.valueOf(instance.port());
            List<String> args = new ArrayList<>(List.of("run", "-d", "--name", instance.name(),
                    "--network", instance.network(), "--publish", "127.0.0.1:" + port + ":" + port + "/tcp",
                    // swap as large as memory: no swap on top, so the limit is the limit
                    "--memory", instance.limits().memoryFlag(), "--memory-swap", instance.limits().memoryFlag(),
                    "--pids-limit", String.valueOf(instance.limits().pids()),
                    "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                    "--tls-verify=" + !onThisMachine(instance.image()), "--env-file", envFile.toString(),
                    // also what podman rm -f and a stop without -t give the app
                    "--stop-timeout", String.valueOf(stopSeconds),
                    "--restart", "on-failure:" + RESTARTS_ON_FAILURE));
            init.ifPresent(path -> args.addAll(List.of("--init", "--init-path", path.toString())));
            args.addAll(List.of("--label", RuntimeLabels.INSTALLATION + "=" + installation));
            labels.forEach((key, value) -> args.addAll(List.of("--label", key + "=" + value)));
            args.add(instance.image());
            return exec(Duration.ofMinutes(5), args);
        } finally {
            Files.deleteIfExists(envFile);
        }
    }

    /**
     * Records a revision that runs no instance: a container that is created and never started, with the
     * revision's labels. It names the revision's image (so a rollback finds it, and the image stays while
     * the revision may be rolled back to), has no network and no restart policy, and publishes no port.
     */
    Result createMarker(String name, String image, Map<String, String> labels) throws IOException {
        List<String> args = new ArrayList<>(List.of("create", "--name", name, "--network", "none",
                "--tls-verify=" + !onThisMachine(image), "--label", RuntimeLabels.INSTALLATION + "=" + installation,
                "--label", RuntimeLabels.INSTANCES + "=" + RuntimeLabels.NO_INSTANCES));
        labels.forEach((key, value) -> args.addAll(List.of("--label", key + "=" + value)));
        args.add(image);
        return exec(Duration.ofMinutes(5), args);
    }

    /**
     * Removes a pulled image from podman's store unless a container (running or not, of any app) uses it:
     * {@code rmi} alone would only untag an image that has other names, even one in use. False when kept.
     */
    boolean removeImageIfUnused(String image) throws IOException {
        Result users = exec(Duration.ofSeconds(30), List.of("ps", "-a", "--filter", "ancestor=" + image,
                "--format", "{{.ID}}"));
        if (!users.ok() || !users.output().isBlank()) {
            return false;
        }
        // "--": an image reference is never read as a flag
        return exec(Duration.ofSeconds(60), List.of("rmi", "--", image)).ok();
    }

    boolean networkExists(String name) throws IOException {
        return exec(Duration.ofSeconds(30), List.of("network", "exists", name)).ok();
    }

    /** Removes a network no container uses; podman refuses, and nothing changes, while one does. */
    Result removeNetwork(String name) throws IOException {
        return exec(Duration.ofSeconds(30), List.of("network", "rm", name));
    }

    /** A bridge that netavark keeps apart from every other isolated network (podman 4.3 and later). */
    Result createIsolatedNetwork(String name) throws IOException {
        return exec(Duration.ofSeconds(30), List.of("network", "create", "--driver", "bridge", "--opt",
                "isolate=true", "--label", RuntimeLabels.INSTALLATION + "=" + installation, name));
    }

    /** Images from a registry on this machine come over plain HTTP; any other registry must present TLS. */
    static boolean onThisMachine(String image) {
        return image.startsWith("127.0.0.1:") || image.startsWith("localhost:") || image.startsWith("[::1]:");
    }

    /** The ports of every Slipway container on this machine, of any installation, stopped ones too. */
    java.util.Set<Integer> allPorts() throws IOException {
        Result listed = exec(Duration.ofSeconds(30), List.of("ps", "-a", "--filter", "label=" + RuntimeLabels.PORT,
                "--format", "{{index .Labels \"" + RuntimeLabels.PORT + "\"}}"));
        if (!listed.ok()) {
            throw new IOException("podman ps failed: " + listed.output());
        }
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (String port : listed.output().trim().split("\\s+")) {
            if (port.matches("\\d+")) {
                ports.add(Integer.parseInt(port));
            }
        }
        return ports;
    }

    /** Every container of this installation, running or not, optionally of one app only. */
    List<LocalContainer> list(AppRef app) throws IOException {
        String filter = "label=" + RuntimeLabels.APP + (app == null ? "" : "=" + RuntimeLabels.localApp(app));
        Result listed = exec(Duration.ofSeconds(30), List.of("ps", "-a", "--filter", filter, "--filter",
                "label=" + RuntimeLabels.INSTALLATION + "=" + installation, "--format", "json"));
        if (!listed.ok()) {
            throw new IOException("podman ps failed: " + listed.output());
        }
        List<LocalContainer> containers = new ArrayList<>();
        String json = listed.output().strip();
        if (json.isEmpty()) {
            return containers;
        }
        for (JsonNode container : EventJson.mapper().readTree(json).values()) {
            Map<String, String> labels = new LinkedHashMap<>();
            container.path("Labels").properties().forEach(label -> labels.put(label.getKey(),
                    label.getValue().asString()));
            boolean marker = RuntimeLabels.marksRevisionOnly(labels.get(RuntimeLabels.INSTANCES));
            if (labels.containsKey(RuntimeLabels.REVISION) && (marker || labels.containsKey(RuntimeLabels.PORT))) {
                containers.add(LocalContainer.of(container.path("Names").path(0).asString(), labels,
                        "running".equals(container.path("State").asString())));
            }
        }
        return containers;
    }

    Result start(String name) throws IOException {
        return exec(Duration.ofMinutes(1), List.of("start", name));
    }

    /** Stops the containers all at once (podman stops the ones of one call in parallel), each with SIGTERM first. */
    Result stop(List<String> names) throws IOException {
        List<String> args = new ArrayList<>(List.of("stop", "-t", String.valueOf(stopSeconds)));
        args.addAll(names);
        return exec(Duration.ofSeconds(stopSeconds).plus(STOP_OVERHEAD), args);
    }

    Result remove(String name) throws IOException {
        return exec(Duration.ofMinutes(1).plusSeconds(stopSeconds), List.of("rm", "-f", "-t",
                String.valueOf(stopSeconds), name));
    }

    Result logs(String name) throws IOException {
        return exec(Duration.ofSeconds(30), List.of("logs", "--tail", "20", name));
    }

    /**
     * The exit code of a container that has stopped for good; empty while it runs, while podman is to
     * start it again after a crash ({@link #RESTARTS_ON_FAILURE}), or when podman cannot say.
     */
    Optional<Integer> exitCode(String name) throws IOException {
        Result state = exec(Duration.ofSeconds(30), List.of("inspect", "--format",
                "{{.State.Running}} {{.State.ExitCode}} {{.RestartCount}}", name));
        String[] words = state.output().strip().split(" ");
        if (!state.ok() || words.length != 3 || !"false".equals(words[0]) || !words[1].matches("-?\\d+")
                || !words[2].matches("\\d+")) {
            return Optional.empty();
        }
        int code = Integer.parseInt(words[1]);
        boolean restartsLeft = code != 0 && Integer.parseInt(words[2]) < RESTARTS_ON_FAILURE;
        return restartsLeft ? Optional.empty() : Optional.of(code);
    }

    boolean running(String name) throws IOException {
        Result state = exec(Duration.ofSeconds(30), List.of("inspect", "--format", "{{.State.Running}}", name));
        return state.ok() && state.output().strip().equals("true");
    }

    private Result exec(Duration timeout, List<String> args) throws IOException {
        List<String> line = new ArrayList<>(List.of(command, "--runtime", ociRuntime));
        line.addAll(args);
        // output to a file, so a podman that hangs is stopped at the timeout rather than read forever
        Path output = Files.createTempFile("slipway-podman", ".out");
        Process process;
        try {
            process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException missing) {
            Files.deleteIfExists(output);
            throw new IOException("cannot run '" + command + "' (" + missing.getMessage() + "); install podman and "
                    + "runc (scripts/setup-debian.sh) or set slipway.local.podman", missing);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "podman " + args.get(0) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running podman " + args.get(0), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
