package dev.slipway.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Local mode's footprint: starts {@code local-*-exec.jar} as a user would (bin/slipway-local's JVM
 * options), pushes the static-site example until it answers, then adds up the resident memory of
 * everything that runs for it: the JVM, its child processes (the registry) and the app's container
 * (podman's conmon and the app). Prints start-up time and the total against the 1.5 GB goal.
 * Run: {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:java
 * -Dexec.mainClass=dev.slipway.bench.LocalModeMemoryBenchmark}
 */
public final class LocalModeMemoryBenchmark {

    private static final long GOAL_BYTES = 1536L * 1024 * 1024;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("slipway.root", System.getProperty("maven.multiModuleProjectDirectory", ".")))
                .toAbsolutePath().normalize();
        Path jar;
        try (var jars = Files.list(root.resolve("local").resolve("target"))) {
            jar = jars.filter(path -> path.getFileName().toString().matches("local-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build first: ./mvnw -q install -DskipTests"));
        }
        Path data = Files.createTempDirectory("slipway-bench-local");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx640m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar",
                jar.toString(), "--data", data.toString(), "--api-port", String.valueOf(free()), "--router-port",
                String.valueOf(free()), "--push", root.resolve("examples").resolve("static-site").toString()));
        long start = System.nanoTime();
        Process local = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
        double readySeconds = -1;
        double onlineSeconds = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(local.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("Ready in ")) {
                    readySeconds = (System.nanoTime() - start) / 1e9;
                }
                if (line.contains(" answers HTTP ")) {
                    onlineSeconds = (System.nanoTime() - start) / 1e9;
                    System.out.println(line);
                    break;
                }
            }
            if (onlineSeconds < 0) {
                throw new IllegalStateException("local mode did not get the example online");
            }
            long jvm = rss(local.pid());
            long children = descendants(local.pid()).stream().mapToLong(LocalModeMemoryBenchmark::rss).sum();
            long containers = containerProcesses().stream().mapToLong(LocalModeMemoryBenchmark::rss).sum();
            long total = jvm + children + containers;
            System.out.printf(Locale.ROOT, "start-up to ready: %.1f s, to the example answering: %.1f s%n",
                    readySeconds, onlineSeconds);
            System.out.printf(Locale.ROOT, "RSS: JVM %d MiB + its children (registry) %d MiB + app container %d MiB"
                    + " = %d MiB%n", mib(jvm), mib(children), mib(containers), mib(total));
            System.out.printf(Locale.ROOT, "ratio to the 1.5 GB goal: %.2f (below 1.00 meets it)%n",
                    (double) total / GOAL_BYTES);
        } finally {
            local.destroy();
            if (!local.waitFor(60, TimeUnit.SECONDS)) {
                local.destroyForcibly();
            }
            // this run's installation only: the containers named after its data folder's key
            removeContainersOf(data);
        }
    }

    private static void removeContainersOf(Path data) throws Exception {
        java.util.Properties secrets = new java.util.Properties();
        try (var reader = Files.newBufferedReader(data.resolve("secrets.properties"))) {
            secrets.load(reader);
        }
        String installation = secrets.getProperty("token-key").substring(0, 8);
        Process listed = new ProcessBuilder("podman", "ps", "-a", "-q", "--filter",
                "label=slipway.dev/installation=" + installation).start();
        for (String id : new String(listed.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")) {
            if (!id.isEmpty()) {
                new ProcessBuilder("podman", "--runtime", "runc", "rm", "-f", "-t", "0", id).start().waitFor();
            }
        }
    }

    private static List<Long> descendants(long pid) throws IOException {
        List<Long> found = new ArrayList<>();
        Path tasks = Path.of("/proc", String.valueOf(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return found;
        }
        try (var threads = Files.list(tasks)) {
            for (Path task : threads.toList()) {
                Path children = task.resolve("children");
                if (Files.exists(children)) {
                    for (String child : Files.readString(children).trim().split("\\s+")) {
                        if (!child.isEmpty()) {
                            found.add(Long.parseLong(child));
                            found.addAll(descendants(Long.parseLong(child)));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The app's process and its podman monitor (conmon), which is its parent. */
    private static List<Long> containerProcesses() throws Exception {
        Process inspect = new ProcessBuilder("podman", "ps", "--filter", "label=slipway.dev/app", "--format",
                "{{.ID}}").start();
        List<Long> pids = new ArrayList<>();
        for (String id : new String(inspect.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+")) {
            if (id.isEmpty()) {
                continue;
            }
            Process pid = new ProcessBuilder("podman", "inspect", "--format", "{{.State.Pid}} {{.State.ConmonPid}}",
                    id).start();
            for (String value : new String(pid.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()
                    .split("\\s+")) {
                if (!value.isEmpty() && !value.equals("0")) {
                    pids.add(Long.parseLong(value));
                }
            }
        }
        return pids;
    }

    private static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException gone) {
            return 0;
        }
        return 0;
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
