package dev.slipway.staging.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts stage worker processes: the JVM this service runs on, with this service's classes, behind
 * {@code prlimit} (util-linux) for the limits the kernel enforces (CPU time, file size, open
 * files) and JVM options for memory. From a Spring Boot executable jar the worker's main class is
 * started through Boot's {@code PropertiesLauncher}, which reads the jar's nested libraries.
 */
final class WorkerLauncher {

    private static final Logger log = LoggerFactory.getLogger(WorkerLauncher.class);
    private static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";
    private static final List<String> PRLIMIT_PLACES = List.of("/usr/bin/prlimit", "/bin/prlimit");
    private static final List<String> SETSID_PLACES = List.of("/usr/bin/setsid", "/bin/setsid");

    private final WorkerSettings settings;
    private final Path workerHome;
    private final List<String> command;
    private final Optional<String> prlimit;
    /** Where the JVM's own options begin in {@link #command}, after {@code prlimit} and the java binary. */
    private final int jvmOptionsAt;

    WorkerLauncher(WorkerSettings settings, Path workerHome) throws IOException {
        this.settings = settings;
        this.workerHome = Files.createDirectories(workerHome);
        this.prlimit = PRLIMIT_PLACES.stream().filter(place -> Files.isExecutable(Path.of(place))).findFirst();
        this.command = command(settings, prlimit);
        this.jvmOptionsAt = command.indexOf(javaBinary()) + 1;
        log.info("stage workers: {}", String.join(" ", command));
    }

    /** Starts a worker; its standard error goes to {@code <worker home>/<name>.log}. */
    WorkerProcess start(String name) throws IOException {
        Path scratch = Files.createDirectories(workerHome.resolve(name));
        List<String> line = new ArrayList<>(command);
        // temporary files of the worker stay in its own folder, removed with it
        line.add(jvmOptionsAt, "-Djava.io.tmpdir=" + scratch);
        ProcessBuilder builder = new ProcessBuilder(line).redirectError(workerHome.resolve(name + ".log").toFile())
                .directory(scratch.toFile());
        // none of the service's environment (its S3 and secrets keys among it): what a stage needs
        // comes in its order
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", scratch.toString(),
                "LANG", "C.UTF-8"));
        Process process = builder.start();
        return new WorkerProcess(name, process, scratch, workerHome.resolve(name + ".log"));
    }

    /** The limits as the kernel will see them, for the health endpoint and the log. */
    List<String> command() {
        return command;
    }

    /**
     * Gives the worker {@code allowed} more CPU time from now: the soft limit moves to what it has
     * used plus that; the kernel sends SIGXCPU when it is passed. Lowering a soft limit under the
     * hard one needs no privilege.
     */
    void limitCpu(WorkerProcess worker, Duration allowed) throws IOException {
        if (prlimit.isEmpty()) {
            return;
        }
        long used = ProcessHandle.of(worker.pid()).flatMap(process -> process.info().totalCpuDuration())
                .map(Duration::toSeconds).orElse(0L);
        long soft = used + Math.max(1, allowed.toSeconds());
        Process set = new ProcessBuilder(prlimit.get(), "--pid", String.valueOf(worker.pid()), "--cpu=" + soft + ":")
                .redirectErrorStream(true).start();
        try {
            if (!set.waitFor(10, TimeUnit.SECONDS) || set.exitValue() != 0) {
                set.destroyForcibly();
                throw new IOException("prlimit could not set the CPU limit of worker " + worker.pid() + ": "
                        + new String(set.getInputStream().readNBytes(1024), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while limiting a worker's CPU time", e);
        }
    }

    private static List<String> command(WorkerSettings settings, Optional<String> prlimit) {
        List<String> command = new ArrayList<>();
        // a session of its own: a Ctrl-C meant for the service does not reach its stages; the service
        // ends them itself when it stops, and a worker whose service is gone ends at its input's end
        SETSID_PLACES.stream().filter(place -> Files.isExecutable(Path.of(place))).findFirst().ifPresent(command::add);
        prlimit.ifPresentOrElse(
                path -> {
                    // the hard limit bounds the worker's whole life; each stage gets its own soft limit
                    long cpuSeconds = Math.max(1, settings.cpuTime().toSeconds());
                    long lifetime = cpuSeconds * (settings.stagesPerWorker() + 1) + 60;
                    command.addAll(List.of(path, "--cpu=" + lifetime + ":" + lifetime, "--core=0",
                            "--fsize=" + settings.maxFileSize().toBytes(),
                            "--nofile=" + settings.openFiles() + ":" + settings.openFiles(), "--"));
                },
                () -> log.warn("prlimit (util-linux) is not installed: stage workers run without CPU-time, "
                        + "file-size and open-file limits"));
        command.add(javaBinary());
        command.addAll(List.of("-Xmx" + settings.memory().toMegabytes() + "m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:MaxMetaspaceSize=160m", "-XX:MaxDirectMemorySize=64m", "-XX:ReservedCodeCacheSize=64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xshare:auto",
                // standard output is the protocol: the JVM's own words go to standard error
                "-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr",
                // no core or crash file with a stage's heap in it (the order holds registry credentials)
                "-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=/dev/null",
                "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true"));
        if (!settings.javaOptions().isBlank()) {
            command.addAll(Arrays.asList(settings.javaOptions().trim().split("\\s+")));
        }
        String classPath = settings.classPath().isBlank() ? System.getProperty("java.class.path")
                : settings.classPath();
        if (isBootJar(classPath)) {
            command.addAll(List.of("-Dloader.main=" + StageWorkerMain.class.getName(), "-cp", classPath,
                    BOOT_LAUNCHER));
        } else {
            command.addAll(List.of("-cp", classPath, StageWorkerMain.class.getName()));
        }
        return List.copyOf(command);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** An executable jar made by Spring Boot's plugin: its classes and libraries are nested. */
    private static boolean isBootJar(String classPath) {
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getManifest() != null && jar.getManifest().getMainAttributes().getValue("Start-Class") != null;
        } catch (IOException notAJar) {
            return false;
        }
    }
}
