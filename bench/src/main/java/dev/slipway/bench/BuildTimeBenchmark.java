package dev.slipway.bench;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.SlipwayCommand;
import dev.slipway.local.LocalOptions;
import dev.slipway.local.LocalPlatform;
import dev.slipway.testsupport.http.Routed;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What a developer waits for, per kind of app, in local mode on a fresh data folder: the first start
 * (which makes the runtime base images), then for each app in {@code examples/} a cold push (first push
 * of the app, empty build cache) and a warm push (one file changed, cache kept), each from
 * {@code slipway push} to the app answering at its URL, and the size of the image (its compressed
 * layers, as the registry stores them). Prints each push against the goals: cold under 60 s, warm
 * under 10 s. Run: {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:exec
 * -Dexec.executable=java -Dexec.args="-cp %classpath dev.slipway.bench.BuildTimeBenchmark"}
 * ({@code -Dexamples=node-app,go-app} before {@code -cp} picks some). Needs podman and the toolchains
 * ({@code scripts/setup-debian.sh}); run with exec:exec, as stage workers start from this class path.
 */
public final class BuildTimeBenchmark {

    private static final double COLD_GOAL_SECONDS = 60;
    private static final double WARM_GOAL_SECONDS = 10;

    private BuildTimeBenchmark() {
    }

    record Measured(String example, double coldSeconds, double warmSeconds, long imageBytes) {
    }

    public static void main(String[] args) throws Exception {
        // the router is reached as <app>.localhost, which the HTTP client sends as a Host header
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        Path root = Path.of(System.getProperty("slipway.root", System.getProperty("user.dir")));
        Path examples = Files.isDirectory(root.resolve("examples")) ? root.resolve("examples")
                : root.getParent().resolve("examples");
        List<String> chosen = examples(examples, System.getProperty("examples", ""));
        Path work = Files.createTempDirectory("slipway-build-bench");
        long startBegan = System.nanoTime();
        try (LocalPlatform platform = LocalPlatform.start(LocalOptions.freePorts(work.resolve("data")))) {
            double firstStart = (System.nanoTime() - startBegan) / 1e9;
            List<Measured> results = new ArrayList<>();
            for (String example : chosen) {
                Path copy = Folders.copy(examples.resolve(example), work.resolve("apps").resolve(example));
                double cold = pushUntilAnswering(platform, copy, example);
                Path changed = firstSourceFile(copy);
                Files.writeString(changed, System.lineSeparator(), StandardOpenOption.APPEND);
                double warm = pushUntilAnswering(platform, copy, example);
                results.add(new Measured(example, cold, warm, imageBytes(platform, example)));
            }
            System.out.printf(Locale.ROOT, "first start on a fresh data folder (base images made): %.1f s%n",
                    firstStart);
            System.out.printf(Locale.ROOT, "%-16s %9s %9s %10s %11s %11s%n", "example", "cold s", "warm s",
                    "image MB", "cold/60 s", "warm/10 s");
            for (Measured result : results) {
                System.out.printf(Locale.ROOT, "%-16s %9.1f %9.1f %10.1f %11.2f %11.2f%n", result.example(),
                        result.coldSeconds(), result.warmSeconds(), result.imageBytes() / 1e6,
                        result.coldSeconds() / COLD_GOAL_SECONDS, result.warmSeconds() / WARM_GOAL_SECONDS);
            }
            for (String example : chosen) {
                run(platform, "apps", "delete", example, "--yes");
            }
        }
    }

    private static List<String> examples(Path examples, String wanted) throws IOException {
        if (!wanted.isBlank()) {
            return List.of(wanted.split(","));
        }
        try (Stream<Path> folders = Files.list(examples)) {
            return folders.filter(Files::isDirectory).map(folder -> folder.getFileName().toString()).sorted().toList();
        }
    }

    /** From {@code slipway push} to the first 200 at the app's URL, in seconds. */
    private static double pushUntilAnswering(LocalPlatform platform, Path folder, String app) throws Exception {
        long started = System.nanoTime();
        run(platform, "push", folder.toString(), "--name", app);
        String url = "http://" + app + ".localhost:" + platform.routerPort() + "/";
        for (int tries = 0; tries < 600; tries++) {
            if (Routed.get(url).status() == 200) {
                return (System.nanoTime() - started) / 1e9;
            }
            Thread.sleep(100);  // polling a URL from outside, as a developer's browser would
        }
        throw new IllegalStateException(app + " did not answer 200 at " + url);
    }

    private static void run(LocalPlatform platform, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCommand.run(new CliContext(platform.cliConfig(), new PrintWriter(out, true),
                new PrintWriter(err, true)), args);
        if (exit != 0) {
            throw new IllegalStateException("slipway " + String.join(" ", args) + " failed: " + out + err);
        }
    }

    /** The compressed size of the app's newest image: its config and layers as the registry holds them. */
    private static long imageBytes(LocalPlatform platform, String app) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String repository = "workspace-" + app;
        String base = "http://" + platform.registryHost() + "/v2/" + repository;
        JsonNode tags = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/tags/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        long newest = -1;
        for (JsonNode tag : tags.path("tags")) {
            JsonNode manifest = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base
                            + "/manifests/" + tag.asString()))
                    .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
                            + "application/vnd.docker.distribution.manifest.v2+json").build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            long bytes = manifest.path("config").path("size").asLong();
            for (JsonNode layer : manifest.path("layers")) {
                bytes += layer.path("size").asLong();
            }
            newest = Math.max(newest, bytes);
        }
        return newest;
    }

    /** The file a developer would have edited: the first source file that is not a manifest or lock. */
    private static Path firstSourceFile(Path app) throws IOException {
        try (Stream<Path> files = Files.walk(app)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().matches(".*\\.(js|py|go|java|html)$"))
                    .sorted().findFirst().orElseThrow(() -> new IllegalStateException("no source file in " + app));
        }
    }
}
