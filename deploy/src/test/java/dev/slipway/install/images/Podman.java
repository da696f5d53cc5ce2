package dev.slipway.install.images;

import dev.slipway.testsupport.podman.PodmanCli;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The podman commands the image tests need, with the flags this kind of machine needs: runc (podman's
 * default crun fails here), explicit ulimits (without them every run fails setting rlimits) and the
 * host's network, so containers reach the test's servers on the loopback address.
 */
final class Podman {

    record Result(int exitCode, String output) {
    }

    private Podman() {
    }

    static boolean installed() {
        return PodmanCli.works();
    }

    /** Loads an image tar; answers the name podman gives it ({@code localhost/slipway/...}). */
    static String load(Path tar) throws IOException {
        Result loaded = required(List.of("podman", "load", "-q", "-i", tar.toString()));
        return loaded.output().lines().filter(line -> line.startsWith("Loaded image"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst()
                .orElseThrow(() -> new IllegalStateException("podman load named no image: " + loaded.output()));
    }

    /** Starts {@code image} detached as {@code name}, with {@code env} and read-only {@code mounts} (host path: path). */
    static void run(String name, String image, Map<String, String> env, Map<Path, String> mounts) throws IOException {
        List<String> line = new ArrayList<>(List.of("podman", "--runtime", "runc", "run", "-d", "--name", name,
                "--network", "host", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                // as the platform chart runs them: a read-only root, writable /tmp and home only (an anonymous
                // volume, which keeps the home's owner; podman 4.3 ignores a tmpfs mode outside /tmp)
                "--read-only", "--tmpfs", "/tmp:rw,mode=1777", "--mount", "type=volume,destination=/home/slipway"));
        env.forEach((key, value) -> line.addAll(List.of("-e", key + "=" + value)));
        mounts.forEach((host, inContainer) -> line.addAll(List.of("-v", host + ":" + inContainer + ":ro")));
        line.add(image);
        required(line);
    }

    /**
     * Runs {@code command} in a throw-away container of {@code image} (its entrypoint replaced, as a compose
     * one-shot does) and answers how it ended.
     */
    static Result runToEnd(String image, List<String> command) throws IOException {
        List<String> line = new ArrayList<>(List.of("podman", "--runtime", "runc", "run", "--rm",
                "--network", "host", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                "--entrypoint", command.get(0), image));
        line.addAll(command.subList(1, command.size()));
        return command(line);
    }

    static Result exec(String container, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of("podman", "exec", container));
        line.addAll(List.of(command));
        return command(line);
    }

    /** Whether the container is still running (not exited, not removed). */
    static boolean running(String container) throws IOException {
        Result state = command(List.of("podman", "container", "inspect", "--format", "{{.State.Running}}", container));
        return state.exitCode() == 0 && state.output().strip().equals("true");
    }

    /** The last lines a container wrote, for failure messages. */
    static String logs(String container) {
        try {
            return command(List.of("podman", "logs", "--tail", "60", container)).output();
        } catch (IOException | RuntimeException e) {
            return "(no logs: " + e.getMessage() + ")";
        }
    }

    /** {@code podman image inspect --format}: e.g. {@code {{.Size}}}, {@code {{.Config.User}}}. */
    static String inspectImage(String image, String format) throws IOException {
        return required(List.of("podman", "image", "inspect", "--format", format, image)).output().strip();
    }

    /** Removes containers; errors (already gone) are ignored: this runs in clean-ups. */
    static void removeContainers(List<String> names) {
        for (String name : names) {
            quietly(List.of("podman", "rm", "-f", "-v", "-t", "0", name));
        }
    }

    /** Removes the tag a test loaded; an image another container still uses stays. */
    static void removeImage(String image) {
        quietly(List.of("podman", "rmi", image));
    }

    private static void quietly(List<String> line) {
        try {
            command(line);
        } catch (IOException | RuntimeException ignored) {
            // clean-up goes on with the next item
        }
    }

    private static Result required(List<String> line) throws IOException {
        Result result = command(line);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed (" + result.exitCode() + "): "
                    + result.output());
        }
        return result;
    }

    /** {@code line} starts with "podman"; a shared runner gives it a deadline and reads its output. */
    private static Result command(List<String> line) throws IOException {
        PodmanCli.Result result = PodmanCli.run(line.subList(1, line.size()));
        return new Result(result.exitCode(), result.output());
    }
}
