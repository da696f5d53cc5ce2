package dev.slipway.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedS3Test {

    @Test
    void objectsOnDiskSurviveARestartOnTheSamePortAndKeys(@TempDir Path folder) throws Exception {
        int port = LoopbackPorts.free();
        byte[] body = "kept across restarts".getBytes(StandardCharsets.UTF_8);
        try (EmbeddedS3 s3 = EmbeddedS3.onDisk(folder, port, "local-access", "local-secret")) {
            MinioClient client = client(s3.endpoint(), "local-access", "local-secret");
            client.makeBucket(MakeBucketArgs.builder().bucket("blobs").build());
            client.putObject(PutObjectArgs.builder().bucket("blobs").object("a/kept.tar")
                    .stream(new ByteArrayInputStream(body), body.length, -1).build());
        }

        try (EmbeddedS3 restarted = EmbeddedS3.onDisk(folder, port, "local-access", "local-secret");
             InputStream read = client("http://127.0.0.1:" + port, "local-access", "local-secret")
                     .getObject(GetObjectArgs.builder().bucket("blobs").object("a/kept.tar").build())) {
            assertThat(restarted.port()).isEqualTo(port);
            assertThat(read.readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void inMemoryServerRefusesRequestsSignedWithAnotherSecret() {
        try (EmbeddedS3 s3 = EmbeddedS3.inMemory()) {
            MinioClient intruder = client(s3.endpoint(), s3.accessKey(), "not-the-secret");

            assertThatThrownBy(() -> intruder.bucketExists(BucketExistsArgs.builder().bucket("blobs").build()))
                    .isInstanceOf(ErrorResponseException.class);
        }
    }

    private static MinioClient client(String endpoint, String accessKey, String secretKey) {
        return MinioClient.builder().endpoint(endpoint).region(EmbeddedS3.REGION)
                .credentials(accessKey, secretKey).build();
    }
}
