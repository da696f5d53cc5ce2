package dev.slipway.staging.build.language;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * This process's hard limits on open files and processes, as the kernel reports them: a container
 * podman starts from here inherits them and cannot be given more (without the capability to raise them).
 */
record ProcessLimits(OptionalLong openFiles, OptionalLong processes) {

    static ProcessLimits current() {
        try {
            return parse(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException | RuntimeException unknown) {
            return new ProcessLimits(OptionalLong.empty(), OptionalLong.empty());
        }
    }

    /** Reads {@code /proc/<pid>/limits}: "Max open files   1024   1024   files". */
    static ProcessLimits parse(String limits) {
        return new ProcessLimits(hard(limits, "Max open files"), hard(limits, "Max processes"));
    }

    long capOpenFiles(long wanted) {
        return openFiles.isPresent() ? Math.min(wanted, openFiles.getAsLong()) : wanted;
    }

    long capProcesses(long wanted) {
        return processes.isPresent() ? Math.min(wanted, processes.getAsLong()) : wanted;
    }

    private static OptionalLong hard(String limits, String name) {
        return limits.lines().filter(line -> line.startsWith(name)).findFirst().map(line -> {
            String[] words = line.substring(name.length()).trim().split("\\s+");
            return words.length > 1 && words[1].matches("\\d+") ? OptionalLong.of(Long.parseLong(words[1]))
                    : OptionalLong.empty();
        }).orElse(OptionalLong.empty());
    }
}
