package dev.slipway.upload;

import dev.slipway.testsupport.http.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.archives.Archives;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.slipway.upload.store.BlobStore;
import dev.slipway.upload.store.S3BlobStore;
import io.minio.MinioClient;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/** With the blob store unreachable, the API says so with 503 and nothing is announced. */
@Import(StorageDownTest.UnreachableStore.class)
class StorageDownTest extends UploadServiceTest {

    /** The real S3 store, pointed at a port where nothing listens. */
    @TestConfiguration
    static class UnreachableStore {
        @Bean
        @Primary
        BlobStore unreachableBlobStore() {
            return new S3BlobStore(MinioClient.builder().endpoint("http://127.0.0.1:" + FreePorts.next())
                    .region("us-east-1").credentials("x", "y").build(), "slipway-blobs", 16 * 1024 * 1024);
        }
    }

    @Test
    void anUploadWhileS3IsUnreachableIs503WithAHint() {
        String app = AppsApiTest.uniqueName("nos3");
        as("alice").post("/api/v1/namespaces/workspace/applications", Map.of("name", app));

        ApiClient.Reply reply = as("alice").upload("/api/v1/namespaces/workspace/applications/" + app + "/store",
                "file", () -> new ByteArrayInputStream(Archives.tarGz(Map.of("index.html", "x"))));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body().path("errors").path(0).path("title").asString()).isEqualTo("storage unavailable");
        assertThat(reply.error()).contains("nothing was stored; try again shortly");
        assertThat(log.topic("slipway.events").poll()).noneMatch(record -> app.equals(
                dev.slipway.testsupport.kafka.EventLog.header(record, "ce_app")));
    }
}
