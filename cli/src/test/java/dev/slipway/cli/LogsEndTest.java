package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code slipway logs} reads the end of a stream: only the server's own {@code complete} is a success. */
class LogsEndTest {

    private static final String LINE = "event: log\ndata: {\"instance\":\"web-1\",\"line\":\"hello\"}\n\n";

    @TempDir
    Path home;

    private HttpServer server;
    private String ending;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/namespaces/workspace/applications/web/logs", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write((": reading\n\n" + LINE + ending).getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aCompleteEndIsExitZero() {
        ending = "event: end\ndata: {\"reason\":\"complete\",\"message\":\"every line was sent\"}\n\n";

        CliRun run = logs();

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("web-1 hello");
    }

    @Test
    void aStreamCutWithoutAnEndEventIsAFailureThatSaysSo() {
        ending = "";

        CliRun run = logs();

        assertThat(run.out()).contains("web-1 hello");
        assertThat(run.exitCode()).isEqualTo(CliException.FAILED);
        assertThat(run.err()).contains("ended without saying why", "slipway logs web");
    }

    @Test
    void aTimeoutEndIsAFailureWithTheServersMessage() {
        ending = "event: end\ndata: {\"reason\":\"timeout\",\"message\":\"the read took too long; use --since\"}\n\n";

        CliRun run = logs();

        assertThat(run.exitCode()).isEqualTo(CliException.FAILED);
        assertThat(run.err()).contains("timeout", "use --since");
    }

    private CliRun logs() {
        return CliRun.of(home.resolve("config.json"), Map.of("SLIPWAY_SERVER", "http://127.0.0.1:"
                + server.getAddress().getPort(), "SLIPWAY_TOKEN", "cli.test-token"), Terminal.none(), "logs", "web",
                "-n", "workspace");
    }
}
