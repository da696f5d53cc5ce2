package dev.slipway.upload;

import dev.slipway.testsupport.http.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.BlobUploaded;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventType;
import dev.slipway.testsupport.archives.Archives;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreApiTest extends UploadServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final MinioClient s3 = MinioClient.builder().endpoint(S3.endpoint()).region("us-east-1")
            .credentials(S3.accessKey(), S3.secretKey()).build();
    private String app;

    @BeforeEach
    void createApp() {
        app = AppsApiTest.uniqueName("store");
        assertThat(as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", app)).status())
                .isEqualTo(201);
    }

    private String storePath() {
        return "/api/v1/namespaces/workspace/applications/" + app + "/store";
    }

    @Test
    void storesTheArchiveInS3AndAnnouncesItWithSizeAndSha256() throws Exception {
        byte[] archive = Archives.tarGz(Map.of("index.html", "<h1>hello</h1>"));

        ApiClient.Reply reply = as("alice").upload(storePath(), "file", () -> new ByteArrayInputStream(archive));

        assertThat(reply.status()).isEqualTo(200);
        String blobUid = reply.body().path("blobuid").asString();
        StatObjectResponse stored = s3.statObject(StatObjectArgs.builder().bucket("slipway-blobs")
                .object("workspace/" + app + "/" + blobUid).build());
        assertThat(stored.size()).isEqualTo(archive.length);
        assertThat(stored.userMetadata()).containsEntry("namespace", "workspace").containsEntry("app", app)
                .containsEntry("username", "alice").containsEntry("format", "gzip");
        Event<EventData> uploaded = log.decode(log.awaitRecord(record -> blobUid.equals(record.key())
                && EventType.BLOB_UPLOADED.type().equals(dev.slipway.testsupport.kafka.EventLog.header(record,
                "ce_type")), TIMEOUT));
        assertThat(uploaded.data()).isEqualTo(new BlobUploaded(blobUid, new dev.slipway.events.AppRef("workspace", app),
                "alice", archive.length, sha256(archive), dev.slipway.events.ArchiveFormat.GZIP));
    }

    @Test
    void tellsEveryArchiveFormatByItsFirstBytes() {
        Map<Archives.Format, String> expected = Map.of(Archives.Format.TAR, "tar", Archives.Format.TGZ, "gzip",
                Archives.Format.TBZ, "bzip2", Archives.Format.TXZ, "xz", Archives.Format.ZIP, "zip");
        expected.forEach((format, name) -> {
            byte[] archive = Archives.of(format, Map.of("Procfile", "web: ./run"));
            ApiClient.Reply reply = as("alice").upload(storePath(), "file", () -> new ByteArrayInputStream(archive));
            assertThat(reply.status()).as(format.name()).isEqualTo(200);
        });
    }

    @Test
    void refusesWhatIsNotAnArchiveWith415AndStoresNothing() {
        ApiClient.Reply reply = as("alice").upload(storePath(), "file",
                () -> new ByteArrayInputStream("#!/bin/sh\necho not an archive\n".getBytes()));

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.error()).contains("not a zip, tar");
        assertThat(objectsOf(app)).isEmpty();
    }

    @Test
    void refusesAnUploadOverTheLimitWith413AndLeavesNoHalfWrittenBlob() {
        // 12 MiB of incompressible bytes behind a gzip header: past the 8 MB limit, in two parts
        ApiClient.Reply reply = as("alice").upload(storePath(), "file", () -> gzipLooking(12 * 1024 * 1024));

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.error()).contains("larger than 8 MB", ".slipwayignore");
        assertThat(objectsOf(app)).isEmpty();
    }

    @Test
    void aMultipartBodyWithoutTheFileFieldIs400() {
        ApiClient.Reply reply = as("alice").upload(storePath(), "archive",
                () -> new ByteArrayInputStream(Archives.tarGz(Map.of("a", "b"))));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).contains("no field 'file'");
    }

    @Test
    void storingForAnUnknownAppIs404AndForAnotherNamespace403() {
        byte[] archive = Archives.tarGz(Map.of("a", "b"));
        assertThat(as("alice").upload("/api/v1/namespaces/workspace/applications/ghost/store", "file",
                () -> new ByteArrayInputStream(archive)).status()).isEqualTo(404);
        assertThat(as("bob").upload(storePath(), "file", () -> new ByteArrayInputStream(archive)).status())
                .isEqualTo(403);
    }

    @Test
    void concurrentUploadsOfTheSameAppAllLandIntact() {
        List<byte[]> archives = IntStream.range(0, 6)
                .mapToObj(i -> Archives.tarGz(Map.of("index.html", "version " + i + " " + "x".repeat(i * 1000))))
                .toList();

        List<CompletableFuture<ApiClient.Reply>> uploads = archives.stream()
                .map(archive -> CompletableFuture.supplyAsync(() -> as("alice").upload(storePath(), "file",
                        () -> new ByteArrayInputStream(archive))))
                .toList();

        for (int i = 0; i < archives.size(); i++) {
            ApiClient.Reply reply = uploads.get(i).join();
            assertThat(reply.status()).isEqualTo(200);
            String blobUid = reply.body().path("blobuid").asString();
            Event<EventData> uploaded = log.decode(log.awaitRecord(record -> blobUid.equals(record.key()), TIMEOUT));
            assertThat(((BlobUploaded) uploaded.data()).sha256()).isEqualTo(sha256(archives.get(i)));
        }
        assertThat(objectsOf(app)).hasSize(archives.size());
    }

    @Test
    void aNamespaceOverItsQuotaGets507AndKeepsNothingOfTheRefusedUpload() {
        as("admin").post("/api/v1/namespaces/quota-test/applications", Map.of("name", "filler"));
        String path = "/api/v1/namespaces/quota-test/applications/filler/store";

        assertThat(as("admin").upload(path, "file", () -> gzipLooking(30 * 1024)).status()).isEqualTo(200);
        ApiClient.Reply over = as("admin").upload(path, "file", () -> gzipLooking(30 * 1024));

        assertThat(over.status()).isEqualTo(507);
        assertThat(over.error()).contains("namespace quota-test has used its", "namespace-quotas.quota-test");
        assertThat(StreamSupport.stream(s3.listObjects(ListObjectsArgs.builder().bucket("slipway-blobs")
                .prefix("quota-test/filler/").recursive(true).build()).spliterator(), false).count()).isEqualTo(1);
        // the refused upload counts for nothing: what still fits is taken
        assertThat(as("admin").upload(path, "file", () -> gzipLooking(10 * 1024)).status()).isEqualTo(200);
    }

    private List<String> objectsOf(String appName) {
        return StreamSupport.stream(s3.listObjects(ListObjectsArgs.builder().bucket("slipway-blobs")
                        .prefix("workspace/" + appName + "/").recursive(true).build()).spliterator(), false)
                .map(result -> {
                    try {
                        return result.get().objectName();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    static InputStream gzipLooking(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        bytes[0] = 0x1f;
        bytes[1] = (byte) 0x8b;
        return new ByteArrayInputStream(bytes);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
