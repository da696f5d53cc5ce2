package dev.slipway.staging.build.language;

import dev.slipway.staging.build.podman.BuildContainerSettings;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.staging.build.podman.PodmanCli;
import dev.slipway.staging.build.podman.RegistryAuth;
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
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs a build plan's script in a container behind walls: the busybox image with this machine's
 * toolchains ({@code /usr}, {@code /usr/local} masked, and the few {@code /etc} folders they read)
 * mounted read-only, the source at {@code /workspace} and the app's cache at {@code /cache} the only
 * places it can write besides its own {@code /tmp}, on an isolated bridge (package registries yes,
 * this machine's loopback and the apps no), no capabilities, no new privileges, bounded memory,
 * processes, open files and time. Env values travel in a private file, never on a command line.
 */
public final class BuildContainer {

    /** Lines of the build's output a failure quotes. */
    static final int QUOTED_LINES = 15;

    /** What the toolchains read in {@code /etc}, mounted when this machine has them. */
    static final List<String> ETC = List.of("/etc/ssl/certs", "/etc/ca-certificates", "/etc/pki/ca-trust",
            "/etc/alternatives", "/etc/java-17-openjdk", "/etc/java-21-openjdk", "/etc/maven", "/etc/python3",
            "/etc/python3.11", "/etc/python3.12", "/etc/python3.13", "/etc/nsswitch.conf");

    /**
     * RLIMIT_NPROC counts every process of the build's user on this machine (root's too, as the build has
     * no capabilities): generous, as {@code --pids-limit} is what bounds the build itself.
     */
    static final long NPROC = 32768;

    private final BuildContainerSettings settings;
    private final PodmanCli podman;

    public BuildContainer(BuildContainerSettings settings) {
        this.settings = settings;
        this.podman = new PodmanCli(settings.podman(), settings.ociRuntime());
    }

    /** Where a build runs and with what: all of it from the stage's order. */
    public record Run(String image, boolean insecureRegistry, String registry, String registryUsername,
                      String registryPassword, Path source, Path cache, Path scratch, Map<String, String> buildEnv) {
    }

    /** Runs {@code plan}'s script; returns when it passed, else fails with what it printed last. */
    public void run(BuildPlan plan, Run run, Consumer<String> log) throws StageFailure, IOException,
            InterruptedException {
        podman.ensureIsolatedNetwork(settings.network(), PodmanCli.BUILD_NETWORK_LABELS);
        Path envFile = privateFile(run.scratch().resolve("build.env"));
        Path authFile = null;
        String name = "slipway-build-" + UUID.randomUUID();
        try {
            Files.writeString(envFile, envFile(plan.env(), run.buildEnv()), StandardCharsets.UTF_8);
            if (run.registryUsername() != null && !run.registryUsername().isBlank()) {
                authFile = privateFile(run.scratch().resolve("auth.json"));
                Files.writeString(authFile, RegistryAuth.json(run.registry(), run.registryUsername(), run.registryPassword()));
            }
            Path empty = Files.createDirectories(run.scratch().resolve("empty"));
            List<String> args = arguments(plan, run, name, envFile, authFile, empty, ProcessLimits.current());
            PodmanCli.Result result = podman.run(args, settings.timeout(), name, log);
            if (result.timedOut()) {
                throw new StageFailure(ReasonCodes.STAGE_TIMEOUT, "the build did not end within its limit of "
                        + settings.timeout().toSeconds() + "s (slipway.staging.build-container.timeout) and was "
                        + "stopped; " + quote(result.tail()) + "make the build faster, or raise the limit", false);
            }
            if (!result.ok()) {
                boolean outOfMemory = result.exitCode() == 137 && oomKilled(name);
                if (outOfMemory || result.exitCode() == 137) {
                    throw new StageFailure(ReasonCodes.STAGE_MEMORY_LIMIT, "the build was killed "
                            + (outOfMemory ? "for going over" : "(most likely over)") + " its memory limit of "
                            + settings.memory().toMegabytes() + " MB (slipway.staging.build-container.memory); "
                            + quote(result.tail()) + "make the build use less memory, or raise the limit", false);
                }
                // podman's own failures (network, image, runtime) end it with 125 to 127 and an "Error:" line
                if (result.exitCode() >= 125 && result.exitCode() <= 127
                        && result.tail().stream().anyMatch(line -> line.startsWith("Error: "))) {
                    throw new StageFailure(ReasonCodes.BUILD_FAILED, "podman could not start the build container ("
                            + "exit " + result.exitCode() + "): " + quote(result.tail()) + "an operator should check "
                            + "podman and the base image " + run.image() + " (scripts/base-images.sh)", true);
                }
                throw new StageFailure(ReasonCodes.BUILD_FAILED, "the build failed (exit " + result.exitCode()
                        + ") in '" + String.join(" && ", plan.script()) + "': " + quote(result.tail())
                        + "fix what it says (the same commands should pass on your machine), then push again", false)
                        .withLog(result.tail());
            }
        } finally {
            podman.removeContainer(name);
            Files.deleteIfExists(envFile);
            if (authFile != null) {
                Files.deleteIfExists(authFile);
            }
        }
    }

    /** The podman command line of a build, after {@code podman --runtime <runtime>}. */
    List<String> arguments(BuildPlan plan, Run run, String name, Path envFile, Path authFile, Path empty,
                           ProcessLimits limits) {
        String memory = settings.memory().toMegabytes() + "m";
        long openFiles = limits.capOpenFiles(settings.openFiles());
        List<String> args = new ArrayList<>(List.of("run", "--name", name, "--pull=missing",
                "--tls-verify=" + !run.insecureRegistry(),
                "--network", settings.network(),
                "--read-only", "--cap-drop=all", "--security-opt", "no-new-privileges",
                // swap as large as memory: no swap on top, so the limit is the limit
                "--memory", memory, "--memory-swap", memory,
                "--pids-limit", String.valueOf(settings.pids()),
                // a container's limits cannot exceed the worker's own, which it inherits
                "--ulimit", "nofile=" + openFiles + ":" + openFiles,
                "--ulimit", "nproc=" + limits.capProcesses(NPROC) + ":" + limits.capProcesses(NPROC),
                "--env-file", envFile.toString(),
                // conmon ends the container even when the worker that started it is gone
                "--timeout", String.valueOf(settings.timeout().toSeconds() + 10),
                "--label", "dev.slipway.role=build"));
        if (authFile != null) {
            args.addAll(List.of("--authfile", authFile.toString()));
        }
        args.addAll(volume("/usr", "/usr", "ro"));
        args.addAll(volume(empty.toString(), "/usr/local", "ro"));
        for (String folder : List.of("/lib", "/lib64", "/lib32", "/libx32")) {
            if (Files.isDirectory(Path.of(folder))) {
                args.addAll(volume(folder, folder, "ro"));
            }
        }
        for (String etc : ETC) {
            if (Files.exists(Path.of(etc))) {
                args.addAll(volume(etc, etc, "ro"));
            }
        }
        // the build runs as root of rootful podman: nothing it leaves may act as setuid or a device file
        args.addAll(volume(run.source().toString(), BuildPlan.WORKSPACE, "rw,nosuid,nodev"));
        args.addAll(volume(run.cache().toString(), BuildPlan.CACHE, "rw,nosuid,nodev"));
        // the base's entrypoint is /bin/sh already; set here so that no image can say otherwise
        args.addAll(List.of("--workdir", BuildPlan.WORKSPACE, "--entrypoint", "/bin/sh", "--", run.image(), "-c",
                "set -ex\n" + String.join("\n", plan.script())));
        return args;
    }

    private static List<String> volume(String from, String to, String mode) {
        return List.of("--volume", from + ":" + to + ":" + mode);
    }

    /** The toolchain's env, then the push's build env (which may override it: it is the app's own build). */
    static String envFile(Map<String, String> toolchain, Map<String, String> buildEnv) throws StageFailure {
        Map<String, String> all = new LinkedHashMap<>(toolchain);
        all.putAll(buildEnv);
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, String> entry : all.entrySet()) {
            if (entry.getValue().indexOf('\n') >= 0 || entry.getValue().indexOf('\r') >= 0
                    || entry.getValue().indexOf('\0') >= 0) {
                throw new StageFailure(ReasonCodes.BUILD_FAILED, "the build env value of " + entry.getKey()
                        + " holds a line break or NUL, which a build env value cannot hold; set it on one line", false);
            }
            lines.append(entry.getKey()).append('=').append(entry.getValue()).append('\n');
        }
        return lines.toString();
    }

    private boolean oomKilled(String name) {
        try {
            PodmanCli.Result inspected = podman.exec(List.of("inspect", "--format", "{{.State.OOMKilled}}", "--",
                    name), Duration.ofSeconds(30));
            return inspected.ok() && inspected.tailText().strip().equals("true");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String quote(List<String> tail) {
        List<String> last = tail.subList(Math.max(0, tail.size() - QUOTED_LINES), tail.size());
        return last.isEmpty() ? "" : "its last lines:\n" + String.join("\n", last) + "\n";
    }

    private static Path privateFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        return Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
}
