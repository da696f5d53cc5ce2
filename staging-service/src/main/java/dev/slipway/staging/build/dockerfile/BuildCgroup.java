package dev.slipway.staging.build.dockerfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Removes what the build left, in every controller (runc makes the path in each). */
    void remove() {
        List<Path> controllers;
        try (Stream<Path> folders = Files.list(root)) {
            controllers = Stream.concat(Stream.of(root), folders.filter(Files::isDirectory)).toList();
        } catch (IOException | RuntimeException unreadable) {
            return;
        }
        for (Path controller : controllers) {
            Path ours = controller.resolve(name);
            try {
                Files.deleteIfExists(ours.resolve("build"));
                Files.deleteIfExists(ours);
            } catch (IOException | RuntimeException busyOrAbsent) {
                // a cgroup with a process left in it stays; its name is unique to the stage
            }
        }
    }
}
