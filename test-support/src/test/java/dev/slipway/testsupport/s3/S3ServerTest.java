package dev.slipway.testsupport.s3;

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

class S3ServerTest {

    @Test
    void storesAndReturnsObjectsThroughTheS3Api() throws Exception {
        try (S3Server s3 = S3Server.inMemory()) {
            MinioClient client = client(s3, s3.secretKey());
            client.makeBucket(MakeBucketArgs.builder().bucket("blobs").build());
            byte[] body = "hello from s3".getBytes(StandardCharsets.UTF_8);
            client.putObject(PutObjectArgs.builder().bucket("blobs").object("a/b.tar")
                    .stream(new ByteArrayInputStream(body), body.length, -1).build());

            try (InputStream read = client.getObject(GetObjectArgs.builder().bucket("blobs").object("a/b.tar").build())) {
                assertThat(read.readAllBytes()).isEqualTo(body);
            }
        }
    }

    @Test
    void refusesRequestsSignedWithTheWrongSecret() throws Exception {
        try (S3Server s3 = S3Server.inMemory()) {
            MinioClient intruder = client(s3, "not-the-secret");

            assertThatThrownBy(() -> intruder.bucketExists(BucketExistsArgs.builder().bucket("blobs").build()))
                    .isInstanceOf(ErrorResponseException.class);
        }
    }

    @Test
    void onDiskObjectsSurviveARestart(@TempDir Path folder) throws Exception {
        byte[] body = "kept".getBytes(StandardCharsets.UTF_8);
        try (S3Server s3 = S3Server.onDisk(folder)) {
            MinioClient client = client(s3, s3.secretKey());
            client.makeBucket(MakeBucketArgs.builder().bucket("blobs").build());
            client.putObject(PutObjectArgs.builder().bucket("blobs").object("kept")
                    .stream(new ByteArrayInputStream(body), body.length, -1).build());
        }
        try (S3Server restarted = S3Server.onDisk(folder);
             InputStream read = client(restarted, restarted.secretKey())
                     .getObject(GetObjectArgs.builder().bucket("blobs").object("kept").build())) {
            assertThat(read.readAllBytes()).isEqualTo(body);
        }
    }

    private static MinioClient client(S3Server s3, String secret) {
        return MinioClient.builder().endpoint(s3.endpoint()).region(S3Server.REGION)
                .credentials(s3.accessKey(), secret).build();
    }
}
