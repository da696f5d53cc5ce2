package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.cli.CliRun;
import dev.slipway.events.EventJson;
import dev.slipway.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * Pushes as CI runs them: several at once per app, through the real {@code slipway} entry point against
 * the whole pipeline (real broker, S3, registry, Helm; Kubernetes API mocked). Each app runs one push
 * at a time; every push ends well (online, or superseded by a newer push of its app) and each app
 * ends on its newest push.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentPushesEndToEndTest {

    private static final List<String> APPS = List.of("alpha", "bravo", "charlie", "delta");
    private static final int PUSHES_PER_APP = 3;

    @TempDir
    static Path home;

    private KubernetesPipeline pipeline;
    private Path config;

    @BeforeAll
    void startAndLogIn() throws Exception {
        pipeline = new KubernetesPipeline(EmbeddedKafkaCondition.getBroker().getBrokersAsString());
        config = home.resolve("slipway").resolve("config.json");
        CliRun login = slipway("login", pipeline.apiUrl(), "--user", KubernetesPipeline.USER, "--password",
                KubernetesPipeline.PASSWORD);
        assertThat(login.exitCode()).as(login.err()).isZero();
    }

    @AfterAll
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    record Push(String app, int version, CliRun run) {

        /** The first line on stdout: the id alone, or {"pushId"} from a push with -o json. */
        String id() {
            String first = run.out().lines().findFirst().orElseThrow();
            return first.startsWith("{") ? json(first).path("pushId").asString() : first;
        }
    }

    @Test
    void twelvePushesOverFourAppsStartedAtOnceAllExitZeroAndEachAppEndsOnItsNewestPush() throws Exception {
        List<Path> folders = new ArrayList<>();
        for (String app : APPS) {
            for (int version = 1; version <= PUSHES_PER_APP; version++) {
                Path folder = home.resolve(app + "-v" + version);
                Files.createDirectories(folder);
                Files.writeString(folder.resolve("index.html"), app + " version " + version);
                folders.add(folder);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(folders.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Push>> running = new ArrayList<>();
        for (int i = 0; i < folders.size(); i++) {
            String app = APPS.get(i / PUSHES_PER_APP);
            int version = i % PUSHES_PER_APP + 1;
            Path folder = folders.get(i);
            // one app's pushes print CloudEvents JSON, as a CI job reading them would ask
            boolean json = app.equals("delta");
            running.add(pool.submit(() -> {
                go.await();
                return new Push(app, version, json
                        ? slipway("push", folder.toString(), "--name", app, "-o", "json")
                        : slipway("push", folder.toString(), "--name", app));
            }));
        }
        long started = System.nanoTime();
        go.countDown();
        List<Push> pushes = new ArrayList<>();
        for (Future<Push> push : running) {
            pushes.add(push.get());
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        pool.shutdown();

        assertThat(pushes).allSatisfy(push -> assertThat(push.run().exitCode())
                .as("push %s v%d:%n%s%n%s", push.app(), push.version(), push.run().out(), push.run().err()).isZero());
        assertThat(pushes).filteredOn(push -> push.app().equals("delta"))
                .allSatisfy(push -> assertThat(push.run().out().lines()).as("-o json: JSON lines alone on stdout")
                        .isNotEmpty().allSatisfy(line -> assertThat(json(line).isObject()).isTrue()));
        int online = 0;
        int superseded = 0;
        for (String app : APPS) {
            List<Push> ofApp = pushes.stream().filter(push -> push.app().equals(app)).toList();
            Map<String, JsonNode> states = ofApp.stream().collect(Collectors.toMap(Push::id,
                    push -> json(slipway("push", "status", push.id(), "-o", "json"))));
            String newest = states.values().stream()
                    .max(Comparator.comparing((JsonNode state) -> OffsetDateTime.parse(state.path("startedAt")
                            .asString())).thenComparing(state -> state.path("id").asString()))
                    .orElseThrow().path("id").asString();
            for (Push push : ofApp) {
                JsonNode state = states.get(push.id());
                if (state.path("state").asString().equals("superseded")) {
                    superseded++;
                    String newer = supersededBy(state);
                    assertThat(newer).as("superseded by a newer push of " + app).isIn(states.keySet())
                            .isNotEqualTo(push.id());
                    assertThat(push.run().out()).contains(push.app().equals("delta") ? "\"supersededBy\":\"" + newer
                            : "superseded by push " + newer);
                    assertThat(slipway("push", "status", push.id()).out()).contains("superseded by", newer);
                } else {
                    online++;
                    assertThat(state.path("state").asString()).as(push.run().out()).isEqualTo("online");
                }
            }
            assertThat(ofApp).as("one push created the app; the others, racing it, used it")
                    .filteredOn(push -> push.run().err().contains("Created app workspace/" + app)).hasSize(1);
            assertThat(states.get(newest).path("state").asString()).isEqualTo("online");
            assertThat(json(slipway("apps", "show", app, "-o", "json")).path("stage_id").asString())
                    .as("the app's last stage is its newest push").isEqualTo(newest);
            assertThat(pipeline.kube.apps().deployments().inNamespace("workspace").withName(app).get().getMetadata()
                    .getLabels()).as("the running release is the newest push's").containsEntry("slipway.dev/stage-id",
                            newest);
        }
        System.out.printf("twelve concurrent pushes over four apps: exit codes %s, wall %.1f s, %d ran to online, "
                        + "%d superseded%n", pushes.stream().map(push -> String.valueOf(push.run().exitCode()))
                        .collect(Collectors.joining(",")), wall.toMillis() / 1000.0, online, superseded);
        assertThat(online + superseded).isEqualTo(APPS.size() * PUSHES_PER_APP);
    }

    private static String supersededBy(JsonNode state) {
        return state.path("events").values().stream()
                .filter(event -> event.path("type").asString().equals("dev.slipway.push.superseded.v1"))
                .map(event -> event.path("data").path("supersededBy").asString())
                .findFirst().orElseThrow();
    }

    private CliRun slipway(String... args) {
        return CliRun.of(config, args);
    }

    private static JsonNode json(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return json(run.out());
    }

    private static JsonNode json(String text) {
        return EventJson.mapper().readTree(text);
    }
}
