package dev.slipway.bench.replay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark's options ({@code --name value}), each with the default a full run uses.
 *
 * @param jar          the upload-service runnable jar measured ({@code upload-service-*-exec.jar})
 * @param label        how the table names it, e.g. a commit
 * @param baseline     the jar it is compared with, or null for no comparison
 * @param events       events in the log, five per push
 * @param maxHeap      each replica's {@code -Xmx}
 * @param timeout      how long a replica may take to catch up before the run counts as failed
 * @param pushReads    timed {@code GET /api/v1/pushes/{id}} requests (after {@code warmUp} untimed ones)
 * @param auditReads   timed audit pages of {@code auditLimit} events
 */
record ReplaySettings(Path jar, String label, Path baseline, String baselineLabel, int events, int namespaces,
                      int apps, String maxHeap, Duration timeout, int warmUp, int pushReads, int auditReads,
                      int auditLimit, long seed, Path work) {

    ReplaySettings {
        if (events < SyntheticPushes.EVENTS_PER_PUSH || events % SyntheticPushes.EVENTS_PER_PUSH != 0) {
            throw new IllegalArgumentException("--events must be a positive multiple of "
                    + SyntheticPushes.EVENTS_PER_PUSH + " (five events per push), was " + events);
        }
        if (jar == null) {
            throw new IllegalArgumentException("--jar <upload-service-*-exec.jar> is required");
        }
    }

    int pushes() {
        return events / SyntheticPushes.EVENTS_PER_PUSH;
    }

    static ReplaySettings parse(String... args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        ReplaySettings settings = new ReplaySettings(path(options.remove("jar")), options.getOrDefault("label", "this"),
                path(options.get("baseline")), options.getOrDefault("baseline-label", "baseline"),
                Integer.parseInt(options.getOrDefault("events", "1000000")),
                Integer.parseInt(options.getOrDefault("namespaces", "20")),
                Integer.parseInt(options.getOrDefault("apps", "2000")),
                options.getOrDefault("xmx", "4g"),
                Duration.ofMinutes(Long.parseLong(options.getOrDefault("timeout-minutes", "30"))),
                Integer.parseInt(options.getOrDefault("warm-up", "200")),
                Integer.parseInt(options.getOrDefault("push-reads", "2000")),
                Integer.parseInt(options.getOrDefault("audit-reads", "200")),
                Integer.parseInt(options.getOrDefault("audit-limit", "100")),
                Long.parseLong(options.getOrDefault("seed", "1")),
                path(options.get("work")));
        options.keySet().removeAll(java.util.Set.of("label", "baseline", "baseline-label", "events", "namespaces",
                "apps", "xmx", "timeout-minutes", "warm-up", "push-reads", "audit-reads", "audit-limit", "seed",
                "work"));
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + options.keySet());
        }
        return settings;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value).toAbsolutePath().normalize();
    }
}
