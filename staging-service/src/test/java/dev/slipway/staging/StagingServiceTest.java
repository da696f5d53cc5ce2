package dev.slipway.staging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.AppRef;
import dev.slipway.events.AppSettings;
import dev.slipway.events.BlobKeys;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.events.StageFailed;
import dev.slipway.events.StageRequested;
import dev.slipway.events.StageStep;
import dev.slipway.events.StageStepFinished;
import dev.slipway.events.StageSucceeded;
import dev.slipway.events.Topics;
import dev.slipway.staging.build.BaseImages;
import dev.slipway.testsupport.http.ApiClient;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.metrics.Scrape;
import dev.slipway.testsupport.registry.RegistryServer;
import dev.slipway.testsupport.s3.S3Server;
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * staging-service on a real broker, a real S3 server and a real registry (Debian's docker-registry)
 * holding the busybox base image. The test plays upload-service: it stores blobs and asks for stages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=staging-service",
        "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "server.port=0",
        "slipway.staging.unpack.ratio-floor=1MB", "slipway.staging.unpack.max-compression-ratio=50"})
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StagingServiceTest {

    /**
     * This context's own broker: the system property names the broker of whichever context started
     * last, which is another class's once contexts are cached and reused.
     */
    @org.springframework.beans.factory.annotation.Autowired
    EmbeddedKafkaBroker embeddedKafka;

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final URI UPLOAD = URI.create("/slipway/upload-service");
    static final S3Server S3 = S3Server.inMemory();
    static final RegistryServer REGISTRY = startRegistry();
    static final Path WORK = folder("slipway-staging-work");

    EventLog log;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    final MinioClient s3 = MinioClient.builder().endpoint(S3.endpoint()).region(S3Server.REGION)
            .credentials(S3.accessKey(), S3.secretKey()).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("slipway.s3.endpoint", S3::endpoint);
        registry.add("slipway.s3.access-key", S3::accessKey);
        registry.add("slipway.s3.secret-key", S3::secretKey);
        registry.add("slipway.staging.build.registry", REGISTRY::host);
        registry.add("slipway.staging.work-dir", WORK::toString);
        registry.add("slipway.staging.build.base-images.jar", () -> REGISTRY.host() + "/" + BaseImages.BUSYBOX);
    }

    private static RegistryServer startRegistry() {
        try {
            RegistryServer registry = RegistryServer.open(Files.createTempDirectory("slipway-registry"));
            BaseImages.pushBusybox(registry.host(), null, null);
            return registry;
        } catch (Exception e) {
            throw new IllegalStateException("cannot prepare the registry", e);
        }
    }

    @BeforeAll
    void openLog() throws Exception {
        log = new EventLog(embeddedKafka.getBrokersAsString());
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket("slipway-blobs").build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket("slipway-blobs").build());
        }
    }

    @AfterAll
    void closeLog() {
        log.close();
    }

    /** Stores {@code archive} as a new blob of a new app and asks for it to be staged. */
    Event<StageRequested> stage(String appPrefix, byte[] archive) throws Exception {
        return stage(appPrefix, archive, null);
    }

    /** As {@link #stage(String, byte[])}, naming a builder image as a push (or a replay's override) may. */
    Event<StageRequested> stage(String appPrefix, byte[] archive, String builderImage) throws Exception {
        return stage(appPrefix, archive, builderImage, null);
    }

    /** As {@link #stage(String, byte[], String)}, with what the push asked of its build (env sealed). */
    Event<StageRequested> stage(String appPrefix, byte[] archive, String builderImage,
                                dev.slipway.events.BuildSettings build) throws Exception {
        AppRef app = new AppRef("workspace", appPrefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        String blobUid = UUID.randomUUID().toString();
        s3.putObject(PutObjectArgs.builder().bucket("slipway-blobs").object(BlobKeys.of(app, blobUid))
                .stream(new ByteArrayInputStream(archive), archive.length, -1).build());
        return log.publish(Event.start(UPLOAD, new StageRequested(blobUid, app, builderImage, AppSettings.defaults(),
                null, build)));
    }

    /** What Prometheus would read from the service now. */
    Scrape scrape() {
        return Scrape.of(ApiClient.anonymous(port));
    }

    /** The push's last event once staging ended: succeeded or failed. */
    Event<EventData> outcome(Event<StageRequested> push) {
        return log.decode(log.awaitRecord(record -> push.id().equals(EventLog.header(record, "ce_correlationid"))
                && (EventType.STAGE_SUCCEEDED.type().equals(EventLog.header(record, "ce_type"))
                || EventType.STAGE_FAILED.type().equals(EventLog.header(record, "ce_type"))), TIMEOUT));
    }

    StageSucceeded succeeded(Event<StageRequested> push) {
        Event<EventData> outcome = outcome(push);
        assertThat(outcome.data()).as("outcome of %s", push.data().app()).isInstanceOf(StageSucceeded.class);
        return (StageSucceeded) outcome.data();
    }

    StageFailed failed(Event<StageRequested> push) {
        Event<EventData> outcome = outcome(push);
        assertThat(outcome.data()).isInstanceOf(StageFailed.class);
        return (StageFailed) outcome.data();
    }

    List<StageStep> steps(Event<StageRequested> push) {
        return log.eventsOf(push.id()).stream().filter(event -> event.is(EventType.STAGE_STEP))
                .map(event -> ((StageStepFinished) event.data()).step()).toList();
    }

    /** What the stages of this service (this JVM) have left in the work folder: nothing, once they ended. */
    static List<String> stageFolders() throws java.io.IOException {
        Path stages = WORK.resolve(".stages-" + ProcessHandle.current().pid());
        if (!Files.isDirectory(stages)) {
            return List.of();
        }
        try (var left = Files.list(stages)) {
            return left.map(path -> path.getFileName().toString()).toList();
        }
    }

    static Path folder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
