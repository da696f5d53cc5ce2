package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.SlipwayCommand;
import dev.slipway.cli.Terminal;
import dev.slipway.cli.config.ConfigFile;
import dev.slipway.events.AppDeployed;
import dev.slipway.events.AppRef;
import dev.slipway.events.AppReleases;
import dev.slipway.events.DeployChange;
import dev.slipway.events.DeployFailed;
import dev.slipway.events.DeployRequested;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventJson;
import dev.slipway.events.EventType;
import dev.slipway.events.Failure;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.RoutesReady;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.kafka.EventLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The day-2 commands of the real CLI against the real API: each change prints its push id first and
 * follows the push to its end (exit code from how it ended), -o json is JSON lines, refusals exit
 * with the code of the server's answer.
 */
class CliChangesAgainstApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final URI DEPLOY = URI.create("/slipway/deploy-service");
    private static final URI ROUTING = URI.create("/slipway/routing-service");

    @TempDir
    Path home;

    private Path config;
    private String app;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void logInAndCreateAnApp() {
        config = home.resolve("alice.json");
        assertThat(cli("login", "http://127.0.0.1:" + port, "--user", "alice", "--password", PASSWORD).exitCode())
                .isZero();
        app = AppsApiTest.uniqueName("cli-day2");
        assertThat(as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", app)).status())
                .isEqualTo(201);
    }

    @Test
    void aChangeOfAnAppThatRunsNothingSaysItWaitsForTheNextPush() {
        Run scale = cli("apps", "scale", app, "2");

        assertThat(scale.exitCode()).as(scale.err()).isZero();
        assertThat(scale.out()).contains("applies at the next push");
        assertThat(cli("env", "list", app, "-o", "json").out()).contains("\"environment\"");
    }

    @Test
    void aRestartPrintsItsPushIdFirstAndFollowsItToTheRoutesOfTheApp() throws Exception {
        running();
        CompletableFuture<Run> restart = CompletableFuture.supplyAsync(() -> cli("apps", "restart", app));

        Event<EventData> requested = deployRequest();
        assertThat(((DeployRequested) requested.data()).change()).isEqualTo(DeployChange.RESTART);
        DeployRequested request = (DeployRequested) requested.data();
        Event<AppDeployed> deployed = log.publish(requested.next(DEPLOY, new AppDeployed(request.blobUid(),
                request.app(), request.stageId(), request.image(), 2, 1, 1, request.settings())));
        log.publish(deployed.next(ROUTING, new RoutesReady(request.blobUid(), request.app(),
                List.of("http://" + app + ".apps.test/"))));

        Run run = restart.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().findFirst()).contains(requested.correlationId());
        assertThat(run.out()).contains("is online at http://" + app + ".apps.test/");
    }

    @Test
    void aChangeWhosePushFailsExitsNonZeroNamingTheStageAndReason() throws Exception {
        running();
        CompletableFuture<Run> set = CompletableFuture.supplyAsync(() -> cli("env", "set", app, "MODE=prod"));

        Event<EventData> requested = deployRequest();
        log.publish(requested.next(DEPLOY, DeployFailed.of((DeployRequested) requested.data(),
                new Failure(ReasonCodes.ROLLOUT_TIMEOUT, "the instances did not answer", false))));

        Run run = set.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("ROLLOUT_TIMEOUT");
    }

    @Test
    void withNoFollowAndJsonEveryLineIsJsonAndRefusalsExitWithTheAnswersCode() throws Exception {
        running();

        Run added = cli("routes", "add", app, "Shop-" + app + ".example.com/API/", "--no-follow", "-o", "json");

        assertThat(added.exitCode()).as(added.err()).isZero();
        List<JsonNode> lines = added.out().lines().map(line -> JsonMapper.shared().readTree(line)).toList();
        assertThat(lines).singleElement().satisfies(answer -> {
            assertThat(answer.path("pushId").asString()).isNotBlank();
            assertThat(answer.path("id").asString()).isEqualTo(answer.path("pushId").asString());
        });
        Run listed = cli("routes", "list", app);
        assertThat(listed.out().lines()).containsExactly(app + ".apps.test", "shop-" + app + ".example.com/API");
        Run listedJson = cli("routes", "list", app, "-o", "json");
        assertThat(JsonMapper.shared().readTree(listedJson.out()).path("routes").size()).isEqualTo(2);

        assertThat(cli("routes", "rm", app, "nowhere.example.com").exitCode()).isEqualTo(4);
        assertThat(cli("routes", "rm", app, app + ".apps.test").exitCode()).isEqualTo(1);
        assertThat(cli("env", "set", app, "NOEQUALS").exitCode()).isEqualTo(2);
        assertThat(cli("env", "unset", app, "NEVER_SET").exitCode()).isEqualTo(1);
        assertThat(cli("apps", "scale", app, "99").exitCode()).isEqualTo(1);
        assertThat(cli("apps", "scale", app, "2", "-n", "other").exitCode()).isEqualTo(3);
        assertThat(cli("apps", "restart", "no-such-app").exitCode()).isEqualTo(4);
    }

    private Event<EventData> deployRequest() {
        return log.decode(log.awaitRecord(record -> EventType.DEPLOY_REQUESTED.type().equals(EventLog.header(record,
                "ce_type")) && app.equals(EventLog.header(record, "ce_app")), TIMEOUT));
    }

    private void running() throws Exception {
        AppRef ref = new AppRef("workspace", app);
        AppReleases releases = AppReleases.first(ref, new AppReleases.Release(1, "registry.test/workspace-" + app
                + ":1", UUID.randomUUID().toString(), 1, OffsetDateTime.now(ZoneOffset.UTC)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.RELEASES, releases.key(),
                    EventJson.mapper().writeValueAsBytes(releases))).get();
        }
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> as("alice")
                .get("/api/v1/namespaces/workspace/applications/" + app).body().has("release"));
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCommand.run(new CliContext(new ConfigFile(config), new PrintWriter(out, true),
                new PrintWriter(err, true), Map.of(), Terminal.none()), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
