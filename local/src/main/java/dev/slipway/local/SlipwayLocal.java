package dev.slipway.local;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.SlipwayCommand;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slipway-local}: the whole platform on this machine with one command, then a push of the
 * bundled example until its URL answers. Runs until stopped (Ctrl-C), unless told to stop after the push.
 */
@Command(name = "slipway-local", mixinStandardHelpOptions = true,
        description = "Run Slipway on this machine (embedded Kafka and S3, a local registry, podman) and push an app.",
        footer = {"", "Examples:", "  slipway-local                        # push examples/static-site, keep running",
                "  slipway-local --push examples/procfile-app --exit-after-push",
                "  slipway-local --no-push --data /srv/slipway"})
public final class SlipwayLocal implements Callable<Integer> {

    @Option(names = "--data", description = "data folder (default: $XDG_DATA_HOME/slipway or ~/.local/share/slipway)")
    Path data;

    @Option(names = "--push", description = "folder or archive to push once running (default: examples/static-site)")
    Path push;

    @Option(names = "--no-push", description = "start without pushing anything")
    boolean noPush;

    @Option(names = "--exit-after-push", description = "stop once the pushed app answers (exit code says how it went)")
    boolean exitAfterPush;

    @Option(names = "--api-port", defaultValue = "8080", description = "API port (default: ${DEFAULT-VALUE})")
    int apiPort;

    @Option(names = "--router-port", defaultValue = "8888", description = "apps' port (default: ${DEFAULT-VALUE})")
    int routerPort;

    @Option(names = "--router-address", defaultValue = LocalOptions.LOOPBACK,
            description = "address the apps' port binds (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 "
                    + "lets other machines reach the apps); the API and every other server stay on 127.0.0.1")
    String routerAddress;

    @Option(names = "--stop-timeout", defaultValue = "${env:SLIPWAY_STOP_TIMEOUT:-12s}",
            converter = DurationConverter.class,
            description = "how long Ctrl-C or SIGTERM may take to stop everything, apps included, before the "
                    + "process halts and names what did not stop (default: ${DEFAULT-VALUE}, or $SLIPWAY_STOP_TIMEOUT)")
    Duration stopTimeout;

    public static void main(String[] args) {
        // the Host header is how a routed app is reached while *.localhost does not resolve in Java
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        System.exit(new CommandLine(new SlipwayLocal()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        Path dataDir = (data != null ? data : defaultDataDir()).toAbsolutePath();
        // before anything logs: the log goes to the data folder (see logback.xml)
        System.setProperty("slipway.log.dir", dataDir.resolve("logs").toString());
        LocalOptions options = LocalOptions.defaults(dataDir).withPorts(apiPort, routerPort)
                .withRouterAddress(routerAddress)
                .withStopTimeout(stopTimeout);
        Instant started = Instant.now();
        out.println("Starting Slipway locally (data in " + dataDir + ", log in " + dataDir.resolve("logs") + ")...");
        AtomicReference<LocalPlatform> starting = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        // before the start, so that Ctrl-C during it stops what has started (apps included)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            LocalPlatform platform = starting.get();
            if (platform != null) {
                // the watchdog halts the JVM should close() not come back in time
                StopWatchdog watchdog = StopWatchdog.arm(options.stopTimeout(), platform::stillStopping);
                platform.close();
                watchdog.disarm();
            }
            stopped.countDown();
        }, "slipway-local-stop"));
        LocalPlatform platform;
        try {
            platform = LocalPlatform.start(options, starting::set);
        } catch (StartFailed failed) {
            if (stopping.get()) {
                err.println("Stopped while starting.");
                return 1;
            }
            throw failed;
        }
        out.printf("Ready in %.1f s: API %s, apps at http://<app>.localhost:%d/%n",
                Duration.between(started, Instant.now()).toMillis() / 1000.0, platform.apiUrl(), platform.routerPort());
        out.println("Use the CLI with: export SLIPWAY_CONFIG=" + platform.cliConfig().path() + "; bin/slipway apps list");
        out.println("Web console: " + platform.apiUrl() + "/console/ (user " + LocalSecrets.USER
                + ", the password is in the CLI config above)");
        int exit = 0;
        if (!noPush) {
            Path source = push != null ? push : Path.of("examples", "static-site");
            if (!Files.exists(source)) {
                err.println("Nothing to push: " + source.toAbsolutePath() + " does not exist (run from the project "
                        + "folder, or give --push <folder>)");
                exit = 1;
            } else {
                exit = pushAndCheck(platform, source, out, err);
            }
        }
        if (exitAfterPush) {
            return exit;
        }
        if (!stopping.get()) {  // not when Ctrl-C came during the push
            out.println("Slipway is running; Ctrl-C stops it (the apps stop with it and come back on the next "
                    + "start).");
        }
        stopped.await();
        return exit;
    }

    /** Pushes with the real CLI and then asks the app's URL until it answers. */
    private static int pushAndCheck(LocalPlatform platform, Path source, PrintWriter out, PrintWriter err)
            throws Exception {
        java.io.StringWriter captured = new java.io.StringWriter();
        PrintWriter tee = new PrintWriter(new java.io.Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) {
                out.write(buffer, offset, length);
                captured.write(buffer, offset, length);
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                out.flush();
            }
        }, true);
        int pushed = SlipwayCommand.run(new CliContext(platform.cliConfig(), tee, err), "push",
                source.toAbsolutePath().toString());
        if (pushed != 0) {
            return pushed;
        }
        String url = captured.toString().lines().filter(line -> line.contains(" is online at "))
                .map(line -> line.substring(line.indexOf(" is online at ") + 14).split(" ")[0]).findFirst()
                .orElse(null);
        if (url == null) {
            return 0;
        }
        URI routed = URI.create(url);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + platform.routerPort() + "/")).header("Host", routed.getAuthority())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        out.println(url + " answers HTTP " + answer.statusCode() + " (" + answer.body().length() + " bytes); "
                + "open it in a browser or: curl " + url);
        return answer.statusCode() == 200 ? 0 : 1;
    }

    /** Durations as the services' settings take them: {@code 12s}, {@code 500ms}, {@code PT12S}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationStyle.detectAndParse(value);
        }
    }

    private static Path defaultDataDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local",
                "share");
        return base.resolve("slipway");
    }
}
