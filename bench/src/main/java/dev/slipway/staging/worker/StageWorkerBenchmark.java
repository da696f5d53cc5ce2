package dev.slipway.staging.worker;

import dev.slipway.staging.build.BaseImages;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.unpack.UnpackLimits;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.registry.RegistryServer;
import java.io.IOException;
import org.awaitility.Awaitility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * What the stage worker's walls cost: the bundled static site staged (unpack, build, push to
 * Debian's registry) many times in this JVM, as staging did before the worker (warm, no walls),
 * and in a stage worker (a pre-started child JVM per stage, limits on), in one run. Also the
 * worker's own start cost: JVM start to ready, and its CPU time.
 * This class lives in the worker's package to reach the stage's in-process entry, which the
 * service itself never calls.
 * Run: {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:java
 * -Dexec.mainClass=dev.slipway.staging.worker.StageWorkerBenchmark} ({@code -Druns=20}).
 */
public final class StageWorkerBenchmark {

    private StageWorkerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("runs", 20);
        Path home = Files.createTempDirectory("slipway-worker-bench");
        byte[] site = Archives.tarGz(Map.of("index.html", Files.readString(Path.of(System.getProperty(
                "maven.multiModuleProjectDirectory", ".")).resolve("examples/static-site/index.html"))));
        try (RegistryServer registry = RegistryServer.open(Files.createDirectories(home.resolve("registry")))) {
            BaseImages.pushBusybox(registry.host(), null, null);
            BuildProperties build = new BuildProperties(registry.host(), "", "", true,
                    Map.of("static", registry.host() + "/" + BaseImages.BUSYBOX), 1, Duration.ofMillis(100),
                    home.resolve("jib-cache").toString());

            List<Double> inProcess = new ArrayList<>();
            for (int i = 0; i < runs + 3; i++) {
                WorkOrder order = order(home, site, build, "here-" + i);
                long started = System.nanoTime();
                WorkerMessage outcome = new StageWork(order, message -> { }).run();
                check(outcome);
                if (i >= 3) {  // the service's JVM is warm after its first stages
                    inProcess.add((System.nanoTime() - started) / 1e6);
                }
            }

            WorkerSettings settings = new WorkerSettings(DataSize.ofMegabytes(384), Duration.ofMinutes(5),
                    Duration.ofMinutes(10), DataSize.ofGigabytes(2), 1024, 1, 25, "", classPath());
            List<Double> worker = new ArrayList<>();
            List<Double> warmups = new ArrayList<>();
            List<Double> backToBack;
            try (StageWorkers workers = new StageWorkers(settings, home.resolve("workers"))) {
                for (int i = 0; i < runs; i++) {
                    // pushes a few seconds apart: the next spare is ready
                    worker.addAll(timeStages(workers, home, site, build, "worker-" + i, 1, true));
                    warmups.add((double) workers.status().lastWarmupMillis());
                }
                backToBack = timeStages(workers, home, site, build, "burst", Math.max(3, runs / 4), false);
            }
            // no spare at all: every stage starts its own JVM, as the first stage after a failed one may
            List<Double> cold;
            try (StageWorkers workers = new StageWorkers(with(settings, 0, settings.stagesPerWorker()),
                    home.resolve("cold"))) {
                cold = timeStages(workers, home, site, build, "cold", Math.max(3, runs / 4), false);
            }
            // one stage per worker: each stage is the first of a fresh spare, warmed up but never used
            List<Double> firstOfWorker;
            try (StageWorkers workers = new StageWorkers(with(settings, 1, 1), home.resolve("first"))) {
                firstOfWorker = timeStages(workers, home, site, build, "first", Math.max(3, runs / 4), true);
            }
            double cpuMillis = workerCpuMillis(settings, home);

            System.out.printf(Locale.ROOT, "static site staged %d times (unpack + build + push)%n", runs);
            System.out.printf(Locale.ROOT, "  in the service's JVM (before): p50 %6.0f ms  p90 %6.0f ms%n",
                    percentile(inProcess, 50), percentile(inProcess, 90));
            System.out.printf(Locale.ROOT, "  in a stage worker (now):       p50 %6.0f ms  p90 %6.0f ms%n",
                    percentile(worker, 50), percentile(worker, 90));
            System.out.printf(Locale.ROOT, "  worker, stages back to back:   p50 %6.0f ms  (the warm worker takes "
                    + "one after another)%n", percentile(backToBack, 50));
            System.out.printf(Locale.ROOT, "  first stage of a new spare:    p50 %6.0f ms  (warmed up, never used: "
                    + "after a failed stage)%n", percentile(firstOfWorker, 50));
            System.out.printf(Locale.ROOT, "  worker started in the stage:   p50 %6.0f ms  (no spare ready: JVM start "
                    + "and warm-up inside the stage)%n", percentile(cold, 50));
            System.out.printf(Locale.ROOT, "  ratio worker / in-process (p50): %.2f%n",
                    percentile(worker, 50) / percentile(inProcess, 50));
            System.out.printf(Locale.ROOT, "worker start: ready %.0f ms after the JVM started (p50), %.0f ms of CPU "
                    + "until ready%n", percentile(warmups, 50), cpuMillis);
        }
    }

    /** CPU time a worker spends from launch to ready, read from /proc while it waits for its order. */
    private static double workerCpuMillis(WorkerSettings settings, Path home) throws Exception {
        try (StageWorkers workers = new StageWorkers(settings, home.resolve("cpu"))) {
            awaitSpare(workers);
            long pid = ProcessHandle.current().descendants().filter(process -> process.info().command()
                    .map(command -> command.endsWith("java")).orElse(false)).findFirst().orElseThrow().pid();
            return ProcessHandle.of(pid).orElseThrow().info().totalCpuDuration().orElse(Duration.ZERO).toMillis();
        }
    }

    /** Under {@code exec:java} this JVM's class path is Maven's; the worker needs the benchmark's. */
    private static String classPath() {
        if (StageWorkerBenchmark.class.getClassLoader() instanceof java.net.URLClassLoader loader) {
            return java.util.Arrays.stream(loader.getURLs()).map(url -> {
                try {
                    return Path.of(url.toURI()).toString();
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        }
        return "";
    }

    /** Stages the site {@code count} times in {@code workers}; answers each stage's milliseconds. */
    private static List<Double> timeStages(StageWorkers workers, Path home, byte[] site, BuildProperties build,
                                           String app, int count, boolean sparesFirst) throws IOException {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (sparesFirst) {
                awaitSpare(workers);
            }
            WorkOrder order = order(home, site, build, app + "-" + i);
            long started = System.nanoTime();
            check(workers.run(app + "-" + i, order, message -> { }));
            millis.add((System.nanoTime() - started) / 1e6);
        }
        return millis;
    }

    private static WorkerSettings with(WorkerSettings settings, int spares, int stagesPerWorker) {
        return new WorkerSettings(settings.memory(), settings.cpuTime(), settings.timeout(), settings.maxFileSize(),
                settings.openFiles(), spares, stagesPerWorker, "", settings.classPath());
    }

    private static void awaitSpare(StageWorkers workers) {
        Awaitility.await("a stage worker ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> workers.status().sparesReady() > 0);
    }

    private static WorkOrder order(Path home, byte[] site, BuildProperties build, String app) throws IOException {
        Path work = Files.createDirectories(home.resolve("stages").resolve(app));
        Path source = Files.write(work.resolve("source"), site);
        return new WorkOrder(source.toString(), work.toString(), build.registry() + "/bench-" + app + ":1",
                Map.of("dev.slipway.app", "bench/" + app), UnpackLimits.defaults(), build, DataSize.ofGigabytes(2).toBytes());
    }

    private static void check(WorkerMessage outcome) {
        if (!(outcome instanceof WorkerMessage.Built)) {
            throw new IllegalStateException("stage failed: " + outcome);
        }
    }

    private static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
