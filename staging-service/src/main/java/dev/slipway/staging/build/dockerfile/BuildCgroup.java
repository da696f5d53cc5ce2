package dev.slipway.staging.build.dockerfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A cgroup of one build's own that bounds how many processes all its {@code RUN} steps have at once:
 * {@code podman build} on podman 4.3 has no {@code --pids-limit}, but takes a parent cgroup, and a
 * parent's {@code pids.max} holds for everything below it. Made where the worker may make cgroups
 * (root on cgroup v1, or a delegated cgroup v2 tree); elsewhere the build runs without it and says so.
 */
final class BuildCgroup {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final Path root;
    private final String name;

    private BuildCgroup(Path root, String name) {
        this.root = root;
        this.name = name;
    }

    /** A cgroup {@code name} allowing {@code pids} processes, or why there is none. */
    static Result make(String name, int pids) {
        return make(ROOT, name, pids);
    }

    static Result make(Path root, String name, int pids) {
        boolean v2 = Files.exists(root.resolve("cgroup.controllers"));
        Path pidsFolder = v2 ? root.resolve(name) : root.resolve("pids").resolve(name);
        try {
            Files.createDirectories(pidsFolder);
            Files.writeString(pidsFolder.resolve("pids.max"), String.valueOf(pids));
            return new Result(Optional.of(new BuildCgroup(root, name)), "");
        } catch (IOException | UnsupportedOperationException | SecurityException refused) {
            new BuildCgroup(root, name).remove();
            return new Result(Optional.empty(), "the build's limit of " + pids + " processes is not enforced on "
                    + "this machine (no cgroup could be made: " + refused.getMessage() + ")");
        }
    }

    record Result(Optional<BuildCgroup> cgroup, String warning) {
    }

    /** For {@code --cgroup-parent}: the steps' cgroups go below ours, so its limit holds for them all. */
    String parent() {
        return "/" + name + "/build";
    }

    /**
     * Ends every process left in the build's cgroups (a {@code RUN} step outlives a podman killed at its
     * deadline: runc and the step's processes are not podman's to take along), then removes the cgroups,
     * in every controller (runc makes the path in each), deepest first.
     */
    void remove() {
        List<Path> ours = ours();
        for (int round = 0; round < KILL_ROUNDS && ours.stream().anyMatch(BuildCgroup::holdsProcesses); round++) {
            ours.forEach(BuildCgroup::killAll);
            waitBriefly();
        }
        for (Path top : ours) {
            try (Stream<Path> below = Files.walk(top)) {
                below.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).forEach(folder -> {
                    try {
                        Files.deleteIfExists(folder);
                    } catch (IOException | RuntimeException busy) {
                        // a cgroup a process could not be taken out of stays; its name is unique to the stage
                    }
                });
            } catch (IOException | RuntimeException absent) {
                // nothing of ours in this controller
            }
        }
    }

    /** Whether any process is still in the build's cgroups, in any controller. */
    boolean hasProcesses() {
        return ours().stream().anyMatch(BuildCgroup::holdsProcesses);
    }

    private static final int KILL_ROUNDS = 50;

    /** Our cgroup in each controller where it exists (cgroup v2: one; v1: each hierarchy runc wrote). */
    private List<Path> ours() {
        try (Stream<Path> folders = Files.list(root)) {
            return Stream.concat(Stream.of(root), folders.filter(Files::isDirectory))
                    .map(controller -> controller.resolve(name)).filter(Files::isDirectory).toList();
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }

    private static boolean holdsProcesses(Path top) {
        try (Stream<Path> below = Files.walk(top)) {
            return below.filter(Files::isDirectory).anyMatch(folder -> !pids(folder).isEmpty());
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** cgroup v2's {@code cgroup.kill} ends the whole subtree at once; elsewhere each process is killed. */
    private static void killAll(Path top) {
        Path kill = top.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            try {
                Files.writeString(kill, "1");
                return;
            } catch (IOException | RuntimeException refused) {
                // an older kernel: kill each process below
            }
        }
        try (Stream<Path> below = Files.walk(top)) {
            below.filter(Files::isDirectory).flatMap(folder -> pids(folder).stream())
                    .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        } catch (IOException | RuntimeException gone) {
            // already gone
        }
    }

    private static List<Long> pids(Path folder) {
        try (Stream<String> lines = Files.lines(folder.resolve("cgroup.procs"))) {
            return lines.map(String::strip).filter(line -> !line.isEmpty()).map(Long::valueOf).toList();
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }

    private static void waitBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
