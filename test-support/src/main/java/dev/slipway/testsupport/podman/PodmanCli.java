package dev.slipway.testsupport.podman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line as tests use it to set up, look at and clean up what the code under test
 * made: one command at a time, its output (stdout and stderr together) read on its own thread so a
 * chatty command cannot block on a full pipe, and a deadline so a hung podman fails the test.
 */
public final class PodmanCli {

    /** How a command ended. */
    public record Result(int exitCode, String output) {
    }

    private PodmanCli() {
    }

    /** Whether podman is installed and answers (lists containers), so podman tests can run here. */
    public static boolean works() {
        try {
            return run("ps", "-q").exitCode() == 0;
        } catch (RuntimeException notThere) {
            return false;
        }
    }

    /** {@code podman <args>}, waited for up to 3 minutes. */
    public static Result run(String... args) {
        return run(List.of(args));
    }

    /** {@code podman <args>}, waited for up to 3 minutes. */
    public static Result run(List<String> args) {
        List<String> line = new ArrayList<>(List.of("podman"));
        line.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(line).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            throw new UncheckedIOException(String.join(" ", line) + " could not start", notInstalled);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        });
        try {
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", line) + " did not end within 3 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", line) + " was interrupted", e);
        }
        return new Result(process.exitValue(), output.join());
    }
}
