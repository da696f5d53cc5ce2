package dev.slipway.staging.worker;

import dev.slipway.staging.build.podman.BuildContainerSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.BuildSettings;
import dev.slipway.events.Event;
import dev.slipway.events.ReasonCodes;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageLogged;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageStepFinished;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.secrets.SecretBox;
import dev.slipway.staging.build.BuildProperties;
import dev.slipway.staging.pipeline.StagingPipeline;
import dev.slipway.staging.unpack.UnpackLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The local builder between the pipeline and its stage worker, the worker played by a stand-in that
 * reports what a real one would: what reaches the worker's order, and what the push hears meanwhile.
 */
class WorkerImageBuilderTest {

    private static final URI SOURCE = URI.create("/slipway/staging-service");
    private static final String KEY = "worker-image-builder-test-key-0123456789";
    private static final SecretBox SECRETS = new SecretBox(KEY);

    @TempDir
    Path work;

    private final AppRef app = new AppRef("team-a", "shop");
    private final List<Event<?>> emitted = new CopyOnWriteArrayList<>();
    private final List<WorkOrder> orders = new ArrayList<>();

    private WorkerImageBuilder builder(WorkerImageBuilder.StageRunner worker, long cacheMax, SecretBox secrets) {
        BuildProperties build = new BuildProperties("registry.test:5000", "", "", true, Map.of(), 1,
                Duration.ofMillis(10), work.resolve("jib").toString());
        WorkerSettings settings = new WorkerSettings(DataSize.ofMegabytes(256), Duration.ofMinutes(5),
                Duration.ofMinutes(10), DataSize.ofGigabytes(2), 1024, 1, 25, "", "");
        return new WorkerImageBuilder((key, file) -> {
            try {
                Files.writeString(file, "an archive");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return 10;
        }, (stage, order, progress) -> {
            orders.add(order);
            return worker.run(stage, order, progress);
        }, UnpackLimits.defaults(), build, settings, work, new BuildCaches(work, cacheMax), new BuildEnvOpener(secrets),
                BuildContainerSettings.DEFAULTS, Duration.ofMillis(200));
    }

    private void stage(WorkerImageBuilder builder, BuildSettings build) {
        StagingPipeline pipeline = new StagingPipeline(SOURCE, "jib", "paketo:1", "registry.test:5000",
                image -> Optional.empty(), builder);
        pipeline.accept(Event.start(URI.create("/slipway/upload-service"), new StageRequested(
                UUID.randomUUID().toString(), app, null, AppSettings.defaults(), null, build)), emitted::add);
    }

    private static WorkerMessage built() {
        return new WorkerMessage.Built("registry.test:5000/team-a-shop:1", "sha256:" + "ab".repeat(32), "node");
    }

    private List<Object> emittedData() {
        return emitted.stream().map(event -> (Object) event.data()).toList();
    }

    @Test
    void aBuildsOutputReachesThePushInSeveralBatchesWhileItRunsInOrderBeforeItSucceeds() {
        WorkerImageBuilder builder = builder((stage, order, progress) -> {
            progress.accept(new WorkerMessage.StepFinished(StageStep.UNPACK, 3, "unpacked 4 entries"));
            for (int round = 0; round < 3; round++) {
                int told = logEvents();
                IntStream.range(0, 5).forEach(i -> progress.accept(new WorkerMessage.Logged(StageStep.BUILD,
                        "step " + (logLines()) + "." + i)));
                // the build goes on only once what it printed so far has reached the push
                await().atMost(Duration.ofSeconds(5)).until(() -> logEvents() > told);
            }
            progress.accept(new WorkerMessage.Logged(StageStep.BUILD, "pushed"));
            progress.accept(new WorkerMessage.StepFinished(StageStep.BUILD, 40, "node app"));
            return built();
        }, Long.MAX_VALUE, SECRETS);

        stage(builder, null);

        List<Object> data = emittedData();
        List<StageLogged> logs = data.stream().filter(StageLogged.class::isInstance).map(StageLogged.class::cast)
                .toList();
        assertThat(logs).hasSizeGreaterThanOrEqualTo(4);
        assertThat(logs.stream().flatMap(logged -> logged.lines().stream()).toList()).containsExactly(
                "step 0.0", "step 0.1", "step 0.2", "step 0.3", "step 0.4", "step 5.0", "step 5.1", "step 5.2",
                "step 5.3", "step 5.4", "step 10.0", "step 10.1", "step 10.2", "step 10.3", "step 10.4", "pushed");
        int lastLog = data.lastIndexOf(logs.get(logs.size() - 1));
        assertThat(data.get(data.size() - 1)).isInstanceOf(StageSucceeded.class);
        assertThat(data.subList(lastLog + 1, data.size())).extracting(Object::getClass).containsExactly(
                StageStepFinished.class, StageSucceeded.class);
    }

    private int logEvents() {
        return (int) emitted.stream().filter(event -> event.data() instanceof StageLogged).count();
    }

    private int logLines() {
        return emitted.stream().filter(event -> event.data() instanceof StageLogged)
                .mapToInt(event -> ((StageLogged) event.data()).lines().size()).sum();
    }

    @Test
    void theWorkersOrderCarriesTheOpenedEnvNoCacheTheDockerfileAndTheAppsCacheFolder() throws IOException {
        Path cache = work.resolve("build-cache/team-a/shop");
        Files.createDirectories(cache);
        Files.writeString(cache.resolve("stale"), "from the last push");
        WorkerImageBuilder builder = builder((stage, order, progress) -> built(), Long.MAX_VALUE, SECRETS);

        stage(builder, new BuildSettings(Map.of("NPM_TOKEN", SECRETS.seal("t0ken value=with spaces")), true,
                "docker/Dockerfile.web"));

        assertThat(emittedData().get(emittedData().size() - 1)).isInstanceOf(StageSucceeded.class);
        assertThat(orders).hasSize(1);
        WorkOrder order = orders.get(0);
        assertThat(order.inputs().env()).containsExactly(Map.entry("NPM_TOKEN", "t0ken value=with spaces"));
        assertThat(order.inputs().noCache()).isTrue();
        assertThat(order.inputs().dockerfile()).isEqualTo("docker/Dockerfile.web");
        assertThat(Path.of(order.inputs().cacheDir())).isEqualTo(cache.toAbsolutePath().normalize()).isDirectory();
        assertThat(cache.resolve("stale")).as("no cache: emptied before the build").doesNotExist();
        assertThat(order.inputs().toString()).doesNotContain("t0ken");
    }

    @Test
    void aPushAskingNothingGetsItsCacheKeptAndNoEnv() throws IOException {
        Path cache = Files.createDirectories(work.resolve("build-cache/team-a/shop"));
        Files.writeString(cache.resolve("deps"), "kept");
        WorkerImageBuilder builder = builder((stage, order, progress) -> built(), Long.MAX_VALUE, SECRETS);

        stage(builder, null);

        assertThat(orders.get(0).inputs().env()).isEmpty();
        assertThat(orders.get(0).inputs().noCache()).isFalse();
        assertThat(orders.get(0).inputs().dockerfile()).isNull();
        assertThat(cache.resolve("deps")).hasContent("kept");
    }

    @Test
    void aCacheGrownPastItsBoundIsEmptiedAfterTheBuild() {
        WorkerImageBuilder builder = builder((stage, order, progress) -> {
            try {
                Files.write(Path.of(order.inputs().cacheDir()).resolve("node_modules.tar"), new byte[4096]);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return built();
        }, 1024, SECRETS);

        stage(builder, null);

        assertThat(emittedData().get(emittedData().size() - 1)).isInstanceOf(StageSucceeded.class);
        assertThat(work.resolve("build-cache/team-a/shop/node_modules.tar")).doesNotExist();
    }

    @Test
    void anEnvValueSealedWithAnotherKeyFailsTheStageNamingTheVariableAndTheFixNeverTheValue() {
        SecretBox otherKey = new SecretBox("another-installations-secrets-key-012345");
        WorkerImageBuilder builder = builder((stage, order, progress) -> built(), Long.MAX_VALUE, SECRETS);

        stage(builder, new BuildSettings(Map.of("NPM_TOKEN", otherKey.seal("the-real-token")), false, null));

        StageFailed failed = (StageFailed) emittedData().get(emittedData().size() - 1);
        assertThat(failed.failure().reason()).isEqualTo(ReasonCodes.BUILD_FAILED);
        assertThat(failed.step()).isEqualTo(StageStep.BUILD);
        assertThat(failed.failure().message()).contains("NPM_TOKEN", "slipway.secrets.key", "replay")
                .doesNotContain("the-real-token");
        assertThat(orders).as("the worker never ran").isEmpty();
    }

    @Test
    void withoutASecretsKeyAPushWithBuildEnvFailsSayingSo() {
        WorkerImageBuilder builder = builder((stage, order, progress) -> built(), Long.MAX_VALUE, null);

        stage(builder, new BuildSettings(Map.of("NPM_TOKEN", SECRETS.seal("x")), false, null));

        StageFailed failed = (StageFailed) emittedData().get(emittedData().size() - 1);
        assertThat(failed.failure().message()).contains("no secrets key", "slipway.secrets.key");
    }

    @Test
    void aSealedValueWithALineBreakIsRefusedBeforeItReachesTheEnvFile() {
        WorkerImageBuilder builder = builder((stage, order, progress) -> built(), Long.MAX_VALUE, SECRETS);

        stage(builder, new BuildSettings(Map.of("MULTI", SECRETS.seal("one\nEVIL=two")), false, null));

        StageFailed failed = (StageFailed) emittedData().get(emittedData().size() - 1);
        assertThat(failed.failure().message()).contains("MULTI", "one-line").doesNotContain("EVIL");
        assertThat(orders).isEmpty();
    }
}
