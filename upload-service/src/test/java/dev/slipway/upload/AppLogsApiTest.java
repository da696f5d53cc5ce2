package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.SlipwayCommand;
import dev.slipway.cli.Terminal;
import dev.slipway.cli.config.ConfigFile;
import dev.slipway.events.AppRef;
import dev.slipway.events.Event;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
import dev.slipway.events.RuntimeLabels;
import dev.slipway.events.StageLogged;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.spring.RuntimeMode;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.images.TestImages;
import dev.slipway.testsupport.podman.PodmanCli;
import dev.slipway.testsupport.registry.RegistryServer;
import dev.slipway.upload.limits.UserSlots;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import tools.jackson.databind.JsonNode;

/** {@code GET .../applications/{app}/logs} and the instances in an app's shape, through the API and the CLI. */
class AppLogsApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final URI STAGING = URI.create("/slipway/staging-service");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    @Autowired
    @Qualifier(UserSlots.LOG_FOLLOWS)
    UserSlots followSlots;

    @Value("${slipway.logs.max-follows-per-user:4}")
    int maxFollowsPerUser;

    @Autowired
    @Qualifier(UserSlots.LOG_READS)
    UserSlots readSlots;

    @Value("${slipway.logs.max-reads-per-user:4}")
    int maxReadsPerUser;

    @Value("${slipway.logs.read-timeout}")
    Duration readTimeout;

    @Autowired
    Environment environment;

    private String app;
    private String base;
    /** An app whose instances printed more than a client that does not read can take; made once, on first use. */
    private String chatty;
    private RegistryServer registry;
    private final List<String> containers = new ArrayList<>();

    @BeforeEach
    void createApp() {
        app = AppsApiTest.uniqueName("logs");
        base = "/api/v1/namespaces/workspace/applications/" + app;
        as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", app));
    }

    @AfterAll
    void removeContainers() {
        containers.forEach(name -> PodmanCli.run("rm", "-f", "-t", "0", name));
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void refusalsAreJsonErrors() throws Exception {
        assertRefused(sse("alice", "/api/v1/namespaces/workspace/applications/nope/logs"), 404, "does not exist");
        assertRefused(sse("bob", base + "/logs"), 403, "no access to namespace workspace");
        assertRefused(sse(null, base + "/logs"), 401, "");
        for (String since : List.of("yesterday", "-5m", "10m%3Brm", "2026-13-01T00:00:00Z")) {
            assertRefused(sse("alice", base + "/logs?since=" + since), 422, "RFC 3339");
        }
        assertRefused(sse("alice", base + "/logs?staging=true"), 404, "no push yet");
        assertRefused(sse("alice", "/api/v1/namespaces/kube-system/applications/x/logs"), 422, "reserved");
    }

    @Test
    void anAppsShapeListsItsInstancesAndAnAppWithoutAnyLogsEndsAtOnce() throws Exception {
        JsonNode shown = as("alice").get(base).body();
        assertThat(shown.path("instances").isArray()).as(shown.toString()).isTrue();
        assertThat(shown.path("instances").isEmpty()).isTrue();
        assertThat(shown.path("meta").path("name").asString()).isEqualTo(app);
        HttpResponse<String> logs = sse("alice", base + "/logs?since=10m");
        assertThat(logs.statusCode()).isEqualTo(200);
        assertThat(logs.body()).doesNotContain("event:log");
    }

    @Test
    void theBuildLogOfTheLastPushIsCleanedAndFollowedUntilStagingEnds() throws Exception {
        String pushId = stage();
        @SuppressWarnings("unchecked")
        Event<StageRequested> requested = (Event<StageRequested>) (Event<?>) log.awaitEvent(pushId,
                EventType.STAGE_REQUESTED, TIMEOUT);
        Event<StageLogged> first = log.publish(requested.next(STAGING, new StageLogged(requested.data().blobUid(),
                requested.data().app(), StageStep.BUILD, List.of("\u001b[32mStep 1/2\u001b[0m", "x".repeat(5000)))));
        CompletableFuture<HttpResponse<String>> followed = CompletableFuture.supplyAsync(() ->
                sseUnchecked("alice", base + "/logs?staging=true&follow=true"));
        org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                data(sse("alice", base + "/logs?staging=true"))).hasSize(2));
        Event<StageLogged> second = log.publish(first.next(STAGING, new StageLogged(requested.data().blobUid(),
                requested.data().app(), StageStep.BUILD, List.of("Step 2/2"))));
        log.publish(second.next(STAGING, new StageSucceeded(requested.data().blobUid(), requested.data().app(),
                pushId, "127.0.0.1:5000/workspace-" + app + ":" + pushId, "sha256:" + "cd".repeat(32), "static",
                Map.of(), requested.data().settings())));

        List<JsonNode> lines = data(followed.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
        assertThat(lines).extracting(line -> line.path("line").asString()).containsExactly("Step 1/2",
                "x".repeat(4096) + " [line cut]", "Step 2/2");
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("instance").asString()).isEqualTo("build");
            assertThat(line.path("stream").asString()).isEqualTo("build");
            assertThat(line.path("time").asString()).isNotEmpty();
        });

        // the CLI: "<instance> <line>", or one JSON object a line
        Path config = home.resolve("alice.json");
        assertThat(cli(config, "login", "http://127.0.0.1:" + port, "--user", "alice", "--password", PASSWORD)[0])
                .isEqualTo("0");
        String[] text = cli(config, "logs", app, "--staging");
        assertThat(text[0]).as(text[2]).isEqualTo("0");
        assertThat(text[1].lines().toList()).first().isEqualTo("build Step 1/2");
        assertThat(text[1].lines().toList()).last().isEqualTo("build Step 2/2");
        String[] json = cli(config, "logs", app, "--staging", "-o", "json", "--since", "1h");
        assertThat(json[1].lines().map(EventJson.mapper()::readTree).map(line -> line.path("line").asString()))
                .hasSize(3).startsWith("Step 1/2");
        String[] refused = cli(config, "logs", app, "--since", "yesterday");
        assertThat(refused[0]).as("a refusal of the server").isEqualTo("1");
        assertThat(refused[2]).contains("RFC 3339");
    }

    @Test
    void oneFollowBeyondAUsersCapIs429WithRetryAfterWhileAnotherUserStillFollows() throws Exception {
        String pushId = stage();
        String follow = base + "/logs?staging=true&follow=true";
        List<HttpResponse<InputStream>> held = new ArrayList<>();
        try {
            // each follow of the build log holds its slot until staging ends, which nothing here makes happen
            for (int i = 0; i < maxFollowsPerUser; i++) {
                held.add(opened("alice", follow));
                assertThat(held.get(i).statusCode()).isEqualTo(200);
            }
            assertThat(followSlots.openBy("alice")).isEqualTo(maxFollowsPerUser);
            HttpResponse<String> refused = sse("alice", follow);
            assertRefused(refused, 429, "slipway.logs.max-follows-per-user");
            assertThat(EventJson.mapper().readTree(refused.body()).path("errors").path(0).path("title").asString())
                    .isEqualTo("too many follows");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("application/json"));
            // a read without follow is counted apart from follows, and so are another user's follows
            assertThat(sse("alice", base + "/logs?staging=true").statusCode()).isEqualTo(200);
            held.add(opened("carol", follow));
            assertThat(held.get(held.size() - 1).statusCode()).isEqualTo(200);
        } finally {
            @SuppressWarnings("unchecked")
            Event<StageRequested> requested = (Event<StageRequested>) (Event<?>) log.awaitEvent(pushId,
                    EventType.STAGE_REQUESTED, TIMEOUT);
            log.publish(requested.next(STAGING, new StageSucceeded(requested.data().blobUid(),
                    requested.data().app(), pushId, "127.0.0.1:5000/workspace-" + app + ":" + pushId,
                    "sha256:" + "ef".repeat(32), "static", Map.of(), requested.data().settings())));
            for (HttpResponse<InputStream> response : held) {
                response.body().close();
            }
        }
        // staging ended: every follow ended with it and gave its slot back
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> followSlots.openBy("alice") == 0
                && followSlots.openBy("carol") == 0);
    }

    @Test
    void everyReadTakesASlotBeyondAUsersCapIs429WhileOthersStillReadAndAReadThatEndsGivesItsSlotBack()
            throws Exception {
        String read = "/api/v1/namespaces/workspace/applications/" + chatty() + "/logs";
        List<StalledRead> held = new ArrayList<>();
        try {
            // each read has more lines to send than a client that stopped reading takes: it holds its slot
            for (int i = 0; i < maxReadsPerUser; i++) {
                held.add(StalledRead.open(port, "alice", read));
                assertThat(held.get(i).status()).isEqualTo(200);
            }
            assertThat(readSlots.openBy("alice")).isEqualTo(maxReadsPerUser);
            HttpResponse<String> refused = sse("alice", read + "?since=1s");
            assertRefused(refused, 429, "slipway.logs.max-reads-per-user");
            assertThat(EventJson.mapper().readTree(refused.body()).path("errors").path(0).path("title").asString())
                    .isEqualTo("too many log reads");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("application/json"));
            // another user's reads are counted apart, and so are this user's follows
            assertThat(end(sse("carol", read + "?since=1s")).path("reason").asString()).isEqualTo("complete");
            try (StalledRead follow = StalledRead.open(port, "alice", read + "?follow=true&since=1s")) {
                assertThat(follow.status()).isEqualTo(200);
                assertThat(followSlots.openBy("alice")).isEqualTo(1);
            }
            await().atMost(TIMEOUT).until(() -> followSlots.openBy("alice") == 0);

            // a client that leaves frees its read's slot; a read that ends frees its own
            held.remove(0).close();
            await().atMost(TIMEOUT).until(() -> readSlots.openBy("alice") == maxReadsPerUser - 1);
            for (int i = 0; i < 2; i++) {
                assertThat(end(sse("alice", read + "?since=1s")).path("reason").asString()).isEqualTo("complete");
                await().atMost(TIMEOUT).until(() -> readSlots.openBy("alice") == maxReadsPerUser - 1);
            }
        } finally {
            for (StalledRead each : held) {
                each.close();
            }
        }
        await().atMost(TIMEOUT).until(() -> readSlots.openBy("alice") == 0 && readSlots.openBy("carol") == 0);
    }

    @Test
    void aReadCutAtItsLimitSendsTheLinesItHoldsInOrderThenAnEndThatSaysWhy() throws Exception {
        String read = "/api/v1/namespaces/workspace/applications/" + chatty() + "/logs";
        try (StalledRead stalled = StalledRead.open(port, "alice", read)) {
            assertThat(stalled.status()).isEqualTo(200);
            // the client reads nothing until the read's time is up: the server holds lines it could not send yet
            await().pollDelay(readTimeout.plusSeconds(1)).atMost(readTimeout.plusSeconds(10)).until(() -> true);
            List<Sse> events = events(stalled.rest());
            assertThat(events).last().satisfies(end -> {
                assertThat(end.name()).isEqualTo("end");
                assertThat(end.data().path("reason").asString()).isEqualTo("timeout");
                assertThat(end.data().path("message").asString()).contains("slipway.logs.read-timeout (8s)",
                        "'slipway logs " + chatty + " --since 5m'");
            });
            List<Sse> lines = events.subList(0, events.size() - 1);
            assertThat(lines).extracting(Sse::name).containsOnly("log");
            assertThat(lines.size()).as("a read cut short").isBetween(1, 3 * 1000 - 1);
            // each instance's lines came in order with none left out between them, up to where the read was cut
            lines.stream().collect(Collectors.groupingBy(line -> line.data().path("instance").asString(),
                    LinkedHashMap::new, Collectors.mapping(line -> line.data().path("line").asString(),
                            Collectors.toList()))).forEach((instance, texts) -> {
                        // an instance sent whole ends with the line it printed last
                        List<String> numbered = texts.get(texts.size() - 1).equals("quiet now")
                                ? texts.subList(0, texts.size() - 1) : texts;
                        int first = Integer.parseInt(numbered.get(0).substring(0, 4));
                        for (int i = 0; i < numbered.size(); i++) {
                            assertThat(numbered.get(i)).as(instance).startsWith(String.format("%04d ", first + i));
                        }
                    });
        }
        await().atMost(TIMEOUT).until(() -> readSlots.openBy("alice") == 0);
    }

    @Test
    void aStreamEndsSayingWhyAndAFollowWhoseInstancesAllStoppedMakesTheCliExit1() throws Exception {
        // this app never ran: a read has every line asked for at once; a follow has no instance left to follow
        assertThat(end(sse("alice", base + "/logs")).path("reason").asString()).isEqualTo("complete");
        JsonNode followed = end(sse("alice", base + "/logs?follow=true"));
        assertThat(followed.path("reason").asString()).isEqualTo("instances-ended");
        assertThat(followed.path("message").asString()).contains("'slipway apps show " + app + "'",
                "'slipway logs " + app + " --follow'");

        Path config = home.resolve("alice.json");
        assertThat(cli(config, "login", "http://127.0.0.1:" + port, "--user", "alice", "--password", PASSWORD)[0])
                .isEqualTo("0");
        String[] read = cli(config, "logs", app);
        assertThat(read[0]).as(read[2]).isEqualTo("0");
        assertThat(read[2]).isEmpty();
        String[] follow = cli(config, "logs", app, "--follow");
        assertThat(follow[0]).as("a follow that ended without the user").isEqualTo("1");
        assertThat(follow[1]).isEmpty();
        assertThat(follow[2]).contains("cut short (instances-ended)", "'slipway logs " + app + " --follow'");
    }

    @Test
    void aFollowCutAtItsLimitSendsItsLinesThenSaysWhyAndTheCliExits1() throws Exception {
        String pushId = stage();
        @SuppressWarnings("unchecked")
        Event<StageRequested> requested = (Event<StageRequested>) (Event<?>) log.awaitEvent(pushId,
                EventType.STAGE_REQUESTED, TIMEOUT);
        log.publish(requested.next(STAGING, new StageLogged(requested.data().blobUid(), requested.data().app(),
                StageStep.BUILD, List.of("Step 1/3", "Step 2/3"))));
        Path config = home.resolve("alice.json");
        assertThat(cli(config, "login", "http://127.0.0.1:" + port, "--user", "alice", "--password", PASSWORD)[0])
                .isEqualTo("0");
        try {
            // staging goes on past the follow's limit (nothing here ends it): the follow is cut there
            CompletableFuture<String[]> cliFollow = CompletableFuture.supplyAsync(() -> cli(config, "logs", app,
                    "--staging", "--follow"));
            List<Sse> events = events(sse("alice", base + "/logs?staging=true&follow=true").body());
            assertThat(events).extracting(Sse::name).containsExactly("log", "log", "end");
            assertThat(events).extracting(event -> event.data().path("line").asString()).startsWith("Step 1/3",
                    "Step 2/3");
            JsonNode end = events.get(2).data();
            assertThat(end.path("reason").asString()).isEqualTo("cap");
            assertThat(end.path("message").asString()).contains("slipway.logs.follow-timeout (15s)",
                    "'slipway logs " + app + " --staging --follow'");

            String[] cli = cliFollow.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(cli[0]).as(cli[2]).isEqualTo("1");
            assertThat(cli[1].lines().toList()).containsExactly("build Step 1/3", "build Step 2/3");
            assertThat(cli[2]).contains("cut short (cap)", "slipway.logs.follow-timeout (15s)");
        } finally {
            log.publish(requested.next(STAGING, new StageSucceeded(requested.data().blobUid(),
                    requested.data().app(), pushId, "127.0.0.1:5000/workspace-" + app + ":" + pushId,
                    "sha256:" + "ab".repeat(32), "static", Map.of(), requested.data().settings())));
        }
        await().atMost(TIMEOUT).until(() -> followSlots.openBy("alice") == 0);
    }

    /**
     * An app of alice's with three instances (podman containers labelled as deploy-service labels them) that
     * each printed 1200 numbered lines of 4000 characters and are quiet since: a read sends the last 1000 of
     * each, about 12 MB, more than a connection whose client does not read takes.
     */
    private String chatty() throws Exception {
        assumeTrue(RuntimeMode.of(environment) == RuntimeMode.LOCAL && PodmanCli.works(),
                "needs podman as the app runtime (scripts/setup-debian.sh installs it)");
        if (chatty != null) {
            return chatty;
        }
        String name = AppsApiTest.uniqueName("chatty");
        as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", name));
        registry = RegistryServer.open(Files.createTempDirectory("slipway-registry"));
        String image = TestImages.talking(registry.host(), "logs-api-chatty", "v1");
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String container = "slipway_default_workspace_" + name + "_r1_" + i;
            containers.add(container);
            started.add(container);
            PodmanCli.Result run = PodmanCli.run("--runtime", "runc", "run", "-d", "--name", container, "--network",
                    "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", "--tls-verify=false",
                    "--label", RuntimeLabels.INSTALLATION + "=default",
                    "--label", RuntimeLabels.APP + "=" + RuntimeLabels.localApp(new AppRef("workspace", name)),
                    "--label", RuntimeLabels.REVISION + "=1", "--entrypoint", "/bin/sh", image, "-c",
                    "pad=$(busybox head -c 4000 /dev/zero | busybox tr '\\0' x); busybox seq -w 0 1199 | "
                            + "while read n; do echo \"$n $pad\"; done; echo quiet now; exec busybox sleep 3600");
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
        for (String container : started) {
            await().atMost(TIMEOUT).until(() -> PodmanCli.run("logs", "--tail", "1", container).output()
                    .contains("quiet now"));
        }
        chatty = name;
        return chatty;
    }

    /** One Server-Sent Event: its name and its data as JSON. */
    private record Sse(String name, JsonNode data) {
    }

    private static List<Sse> events(String body) {
        List<Sse> events = new ArrayList<>();
        String name = null;
        for (String line : body.split("\n", -1)) {
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                events.add(new Sse(name, EventJson.mapper().readTree(line.substring(5))));
                name = null;
            }
        }
        return events;
    }

    /** The data of the stream's {@code end} event, which must be its last. */
    private static JsonNode end(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Sse> events = events(response.body());
        assertThat(events).as(response.body()).last().extracting(Sse::name).isEqualTo("end");
        return events.get(events.size() - 1).data();
    }

    /**
     * A client that sends its request, reads the answer's status and headers and then nothing until asked:
     * its small receive window and the server's buffers fill, and the server's writes wait.
     */
    private static final class StalledRead implements AutoCloseable {

        private final Socket socket;
        private final int status;

        private StalledRead(Socket socket, int status) {
            this.socket = socket;
            this.status = status;
        }

        static StalledRead open(int port, String user, String path) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            // HTTP/1.0: the answer is not chunked and ends when the server closes the connection
            out.write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            String statusLine = head.toString(StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            return new StalledRead(socket, Integer.parseInt(statusLine.split(" ")[1]));
        }

        int status() {
            return status;
        }

        /** The rest of the answer, read now to its end. */
        String rest() throws IOException {
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        /** Leaves without reading what is left (the server's next write fails). */
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private String[] cli(Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCommand.run(new CliContext(new ConfigFile(config), new PrintWriter(out, true),
                new PrintWriter(err, true), Map.of(), Terminal.none()), args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    private String stage() {
        String blobUid = as("alice").upload(base + "/store", "file", () -> new ByteArrayInputStream(
                Archives.tarGz(Map.of("index.html", "hi")))).body().path("blobuid").asString();
        return as("alice").post(base + "/stage", Map.of("blobuid", blobUid)).body().path("stage").path("id")
                .asString();
    }

    /** The lines of a log stream ({@code log} events). */
    private static List<JsonNode> data(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return events(response.body()).stream().filter(event -> "log".equals(event.name())).map(Sse::data).toList();
    }

    private HttpResponse<String> sseUnchecked(String user, String path) {
        try {
            return sse(user, path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> sse(String user, String path) throws Exception {
        return HTTP.send(request(user, path), HttpResponse.BodyHandlers.ofString());
    }

    /** The response as soon as its headers are in, its body still streaming. */
    private HttpResponse<InputStream> opened(String user, String path) throws Exception {
        return HTTP.send(request(user, path), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest request(String user, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream").timeout(TIMEOUT);
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return request.GET().build();
    }

    private static void assertRefused(HttpResponse<String> response, int status, String details) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = EventJson.mapper().readTree(response.body()).path("errors").path(0);
        assertThat(error.path("status").asInt()).isEqualTo(status);
        assertThat(error.path("details").asString()).contains(details);
    }
}
