package dev.slipway.bench;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.SlipwayCommand;
import dev.slipway.local.LocalOptions;
import dev.slipway.local.LocalPlatform;
import dev.slipway.testsupport.http.ApiClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Push to online for the bundled static site in local mode, as the server saw it: from the push's
 * first event ({@code stage.requested}) to its {@code routes.ready}, with stages in stage workers.
 * Each push is a new version of the site, pushed with the real CLI a few seconds after the last,
 * as a developer would. Prints p50/p90 against the 1.5 s goal.
 * Run: {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:exec
 * -Dexec.executable=java -Dexec.args="-cp %classpath dev.slipway.bench.PushTimeBenchmark"}
 * ({@code -Dpushes=10} before {@code -cp}). Needs podman (scripts/setup-debian.sh). Run with exec:exec, not
 * exec:java: stage workers start from this JVM's class path.
 */
public final class PushTimeBenchmark {

    private static final double GOAL_MILLIS = 1500;

    private PushTimeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pushes = Integer.getInteger("pushes", 10);
        Path work = Files.createTempDirectory("slipway-push-bench");
        Path site = Files.createDirectories(work.resolve("static-site"));
        Path examples = Path.of(System.getProperty("slipway.root", System.getProperty("user.dir")), "examples");
        Files.copy(examples.resolve("static-site/index.html"), site.resolve("index.html"));
        try (LocalPlatform platform = LocalPlatform.start(LocalOptions.freePorts(work.resolve("data")))) {
            ApiClient api = ApiClient.anonymous(java.net.URI.create(platform.apiUrl()).getPort())
                    .basic(platform.cliConfig().load().orElseThrow().username(), platform.cliConfig().load().orElseThrow().password());
            push(platform, site);  // the first push of an app creates it and warms the caches
            List<Double> server = new ArrayList<>();
            List<Double> client = new ArrayList<>();
            for (int i = 0; i < pushes; i++) {
                Files.writeString(site.resolve("index.html"), "<h1>version " + i + "</h1>");
                long started = System.nanoTime();
                String pushId = push(platform, site);
                client.add((System.nanoTime() - started) / 1e6);
                server.add(serverMillis(api.get("/api/v1/pushes/" + pushId).body()));
                Thread.sleep(2000);  // a developer's pause: the next warm worker is ready again
            }
            System.out.printf(Locale.ROOT, "static site pushed %d times in local mode, stages in stage workers%n",
                    pushes);
            System.out.printf(Locale.ROOT, "  server, stage.requested -> routes.ready: p50 %5.0f ms  p90 %5.0f ms%n",
                    percentile(server, 50), percentile(server, 90));
            System.out.printf(Locale.ROOT, "  CLI, pack + upload + follow to online:   p50 %5.0f ms  p90 %5.0f ms%n",
                    percentile(client, 50), percentile(client, 90));
            System.out.printf(Locale.ROOT, "  server p50 / the 1.5 s goal: %.2f%n", percentile(server, 50) / GOAL_MILLIS);
        }
    }

    private static String push(LocalPlatform platform, Path site) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCommand.run(new CliContext(platform.cliConfig(), new PrintWriter(out, true),
                new PrintWriter(err, true)), "push", site.toString(), "--name", "static-site");
        if (exit != 0) {
            throw new IllegalStateException("push failed: " + err);
        }
        return out.toString().lines().findFirst().orElseThrow().trim();
    }

    /** From the first event of the push to the one that put it online, by the events' own times. */
    static double serverMillis(JsonNode push) {
        OffsetDateTime first = null;
        OffsetDateTime online = null;
        for (JsonNode event : push.path("events")) {
            OffsetDateTime time = OffsetDateTime.parse(event.path("time").asString());
            if (first == null) {
                first = time;
            }
            if (event.path("type").asString().equals("dev.slipway.routes.ready.v1")) {
                online = time;
            }
        }
        if (first == null || online == null) {
            throw new IllegalStateException("the push did not come online: " + push);
        }
        return Duration.between(first, online).toNanos() / 1e6;
    }

    static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
