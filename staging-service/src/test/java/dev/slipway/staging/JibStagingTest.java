package dev.slipway.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.Event;
import dev.slipway.events.EventType;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageSucceeded;
import dev.slipway.testsupport.archives.Archives;
import dev.slipway.testsupport.metrics.Scrape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JibStagingTest extends StagingServiceTest {

    @ParameterizedTest
    @EnumSource(Archives.Format.class)
    void everyFormatWithAndWithoutATopFolderBuildsAndPushesALabelledImage(Archives.Format format) throws Exception {
        for (String prefix : new String[] {"", "site/"}) {
            Map<String, String> files = new LinkedHashMap<>();
            files.put(prefix + "index.html", "<h1>hello " + format + "</h1>");
            files.put(prefix + "css/site.css", "body{}");
            Event<StageRequested> push = stage("site", Archives.of(format, files));

            StageSucceeded staged = succeeded(push);

            String repository = "workspace-" + push.data().app().name();
            assertThat(staged.image()).isEqualTo(REGISTRY.host() + "/" + repository + ":" + push.id());
            assertThat(staged.stageId()).isEqualTo(push.id());
            assertThat(staged.appKind()).isEqualTo("static");
            assertThat(staged.stepMillis()).containsOnlyKeys(StageStep.FETCH, StageStep.UNPACK, StageStep.BUILD);
            assertThat(REGISTRY.manifest(repository, push.id())).isPresent();
            assertThat(REGISTRY.labels(repository, push.id()))
                    .containsEntry("dev.slipway.stage-id", push.id())
                    .containsEntry("dev.slipway.blob-uid", push.data().blobUid());
            JsonNode config = REGISTRY.config(repository, push.id());
            assertThat(config.path("WorkingDir").asString()).isEqualTo("/workspace");
            assertThat(config.path("Entrypoint").path(0).asString()).isEqualTo("/bin/busybox");
            assertThat(steps(push)).containsExactly(StageStep.FETCH, StageStep.UNPACK, StageStep.BUILD);
            // the build's lines are told while it runs: one batch or more, between unpack's end and build's
            List<EventType> types = log.eventsOf(push.id()).stream().map(Event::type).toList();
            assertThat(types.stream().filter(type -> type != EventType.STAGE_LOG)).containsExactly(
                    EventType.STAGE_REQUESTED, EventType.STAGE_STARTED, EventType.STAGE_STEP, EventType.STAGE_STEP,
                    EventType.STAGE_STEP, EventType.STAGE_SUCCEEDED);
            assertThat(types.subList(4, types.size() - 2)).isNotEmpty().containsOnly(EventType.STAGE_LOG);
            assertThat(log.eventsOf(push.id()).stream().filter(event -> event.is(EventType.STAGE_LOG))
                    .flatMap(event -> ((dev.slipway.events.StageLogged) event.data()).lines().stream()))
                    .anyMatch(line -> line.contains("slipway/base-busybox"));
        }
    }

    @Test
    void aProcfileAppRunsItsWebProcessThroughAShell() throws Exception {
        Event<StageRequested> push = stage("worker", Archives.tarGz(Map.of("Procfile", "web: ./serve --port $PORT\n",
                "serve", "#!/bin/sh\n")));

        StageSucceeded staged = succeeded(push);

        assertThat(staged.appKind()).isEqualTo("procfile");
        // what Prometheus reads: each step's time under the app's kind, and the outcome
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Scrape scrape = scrape();
            assertThat(scrape.status()).isEqualTo(200);
            for (String step : List.of("fetch", "unpack", "build")) {
                assertThat(scrape.sum("slipway_stage_duration_seconds_count", Map.of("step", step, "kind", "procfile")))
                        .as("%s of a procfile app", step).isGreaterThanOrEqualTo(1);
            }
            assertThat(scrape.values("slipway_stage_duration_seconds_bucket", Map.of("step", "build", "kind",
                    "procfile"))).as("a histogram, for percentiles").hasSizeGreaterThan(5);
            assertThat(scrape.sum("slipway_stage_outcomes_total", Map.of("outcome", "succeeded", "reason", "NONE")))
                    .isGreaterThanOrEqualTo(1);
            // the consumer's lag, from the Kafka client's own metrics
            assertThat(scrape.text()).contains("kafka_consumer_fetch_manager_records_lag_max");
            assertThat(scrape.text()).doesNotContain(push.data().app().name()).doesNotContain(push.id());
        });
        JsonNode config = REGISTRY.config("workspace-" + push.data().app().name(), push.id());
        assertThat(config.path("Entrypoint").values()).extracting(JsonNode::asString)
                .containsExactly("/bin/sh", "-c", "./serve --port $PORT");
    }

    @Test
    void anAppOfNoKnownKindFailsSayingWhatWasLookedFor() throws Exception {
        Event<StageRequested> push = stage("mystery", Archives.tarGz(Map.of("main.go", "package main")));

        StageFailed failure = failed(push);

        assertThat(failure.step()).isEqualTo(StageStep.BUILD);
        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.BUILDER_NOT_DETECTED);
        assertThat(failure.failure().message()).contains("Procfile", ".jar", "index.html");
        assertThat(failure.failure().retryable()).isFalse();
        assertThat(failure.request()).isEqualTo(push.data());
    }

    @Test
    void anUnsafeArchiveFailsInUnpackWithItsReason() throws Exception {
        Event<StageRequested> push = stage("slip", Archives.tarGz(Map.of("../../etc/evil", "x")));

        StageFailed failure = failed(push);

        assertThat(failure.step()).isEqualTo(StageStep.UNPACK);
        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.ARCHIVE_UNSAFE_PATH);
        assertThat(steps(push)).containsExactly(StageStep.FETCH);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Scrape scrape = scrape();
            assertThat(scrape.sum("slipway_stage_outcomes_total", Map.of("outcome", "failed", "reason",
                    ReasonCodes.ARCHIVE_UNSAFE_PATH))).isGreaterThanOrEqualTo(1);
            // the kind is never learnt when unpacking fails
            assertThat(scrape.sum("slipway_stage_duration_seconds_count", Map.of("step", "fetch", "kind", "unknown")))
                    .isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void workFoldersAreRemovedAfterSuccessAndAfterFailure() throws Exception {
        Event<StageRequested> good = stage("tidy", Archives.tarGz(Map.of("index.html", "ok")));
        succeeded(good);
        Event<StageRequested> bad = stage("tidy", Archives.tarGz(Map.of("/abs", "no")));
        failed(bad);

        assertThat(stageFolders()).isEmpty();
    }

    @Test
    void aMissingBlobFailsInFetchAtOnce() {
        Event<StageRequested> push = log.publish(Event.start(UPLOAD, new StageRequested(
                java.util.UUID.randomUUID().toString(), new dev.slipway.events.AppRef("workspace", "ghost"), null,
                dev.slipway.events.AppSettings.defaults(), null)));

        StageFailed failure = failed(push);

        assertThat(failure.step()).isEqualTo(StageStep.FETCH);
        assertThat(failure.failure().reason()).isEqualTo(ReasonCodes.BLOB_NOT_FOUND);
        assertThat(failure.failure().message()).contains("slipway.store.keep-blobs", "push the source again");
    }

    @Test
    void aRedeliveredStageRequestDoesNotBuildTwice() throws Exception {
        Event<StageRequested> push = stage("again", Archives.tarGz(Map.of("index.html", "once")));
        StageSucceeded first = succeeded(push);

        log.publish(push);  // the same event, as a redelivery after a crash would bring it

        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> log.eventsOf(push.id()).stream()
                .filter(event -> event.is(EventType.STAGE_SUCCEEDED)).count() == 2);
        assertThat(steps(push)).containsExactly(StageStep.FETCH, StageStep.UNPACK, StageStep.BUILD);
        StageSucceeded second = (StageSucceeded) log.eventsOf(push.id()).stream()
                .filter(event -> event.is(EventType.STAGE_SUCCEEDED)).toList().get(1).data();
        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(second.stepMillis()).isEmpty();
    }
}
