package dev.slipway.bench;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.SlipwayCommand;
import dev.slipway.local.LocalOptions;
import dev.slipway.local.LocalPlatform;
import dev.slipway.testsupport.http.ApiClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a day-2 change costs against the push it saves: in local mode, the bundled static site is
 * pushed, then changed in turn by a source push of a new version, {@code env set}, {@code apps scale}
 * and {@code apps restart}, each through the real CLI and each a push of its own, timed as the server
 * saw it (first event to {@code routes.ready}, see {@link PushTimeBenchmark}). Prints each change's
 * p50 and its ratio to the source push's p50 (below 1.00: cheaper than pushing again).
 * Run: {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:exec -Dexec.executable=java
 * -Dexec.args="-cp %classpath dev.slipway.bench.DayTwoBenchmark"} ({@code -Drounds=5} before {@code -cp}).
 * Needs podman (scripts/setup-debian.sh).
 */
public final class DayTwoBenchmark {

    private DayTwoBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 5);
        Path work = Files.createTempDirectory("slipway-day-two-bench");
        Path site = Files.createDirectories(work.resolve("static-site"));
        Path examples = examples();
        Files.copy(examples.resolve("static-site/index.html"), site.resolve("index.html"));
        try (LocalPlatform platform = LocalPlatform.start(LocalOptions.freePorts(work.resolve("data")))) {
            var login = platform.cliConfig().load().orElseThrow();
            ApiClient api = ApiClient.anonymous(URI.create(platform.apiUrl()).getPort())
                    .basic(login.username(), login.password());
            slipway(platform, "push", site.toString(), "--name", "static-site");  // creates the app, warms caches
            Map<String, List<Double>> millis = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                Files.writeString(site.resolve("index.html"), "<h1>version " + round + "</h1>");
                time(millis, "push of source", api, slipway(platform, "push", site.toString(), "--name",
                        "static-site"));
                time(millis, "env set", api, slipway(platform, "env", "set", "static-site", "ROUND=" + round));
                time(millis, "apps scale", api, slipway(platform, "apps", "scale", "static-site",
                        Integer.toString(round % 2 + 2)));
                time(millis, "apps restart", api, slipway(platform, "apps", "restart", "static-site"));
            }
            double push = PushTimeBenchmark.percentile(millis.get("push of source"), 50);
            System.out.printf(Locale.ROOT, "static site in local mode, %d rounds, server time first event -> "
                    + "routes.ready%n", rounds);
            millis.forEach((change, values) -> System.out.printf(Locale.ROOT,
                    "  %-15s p50 %6.0f ms  p90 %6.0f ms  p50 / push of source %.2f%n", change,
                    PushTimeBenchmark.percentile(values, 50), PushTimeBenchmark.percentile(values, 90),
                    PushTimeBenchmark.percentile(values, 50) / push));
        }
    }

    /** The project's examples, from the project's top or the bench module (exec:exec runs there). */
    private static Path examples() {
        Path here = Path.of(System.getProperty("slipway.root", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path folder = here; folder != null; folder = folder.getParent()) {
            if (Files.isDirectory(folder.resolve("examples/static-site"))) {
                return folder.resolve("examples");
            }
        }
        throw new IllegalStateException("no examples/static-site above " + here + "; set -Dslipway.root");
    }

    private static void time(Map<String, List<Double>> millis, String change, ApiClient api, String pushId) {
        millis.computeIfAbsent(change, any -> new ArrayList<>())
                .add(PushTimeBenchmark.serverMillis(api.get("/api/v1/pushes/" + pushId).body()));
    }

    /** Runs the CLI to the end of the push it starts; answers the push id, its first line. */
    private static String slipway(LocalPlatform platform, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCommand.run(new CliContext(platform.cliConfig(), new PrintWriter(out, true),
                new PrintWriter(err, true)), args);
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed: " + err);
        }
        return out.toString().lines().findFirst().orElseThrow().trim();
    }
}
