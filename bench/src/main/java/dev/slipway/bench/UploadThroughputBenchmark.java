package dev.slipway.bench;

import dev.slipway.testsupport.archives.GeneratedUpload;
import dev.slipway.testsupport.http.MultipartUpload;
import dev.slipway.testsupport.s3.S3Server;
import dev.slipway.upload.UploadServiceApplication;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Upload throughput through upload-service's API (HTTP multipart -> streaming parse -> magic bytes,
 * size limit, sha256 -> multipart put to S3 -> event) against the peer that does only the last step:
 * a direct MinIO SDK put of the same bytes, same part size, to the same S3 server, in one run.
 * Goal: at least 0.8x. Run: {@code ./mvnw -q install -DskipTests && ./mvnw -q -pl bench exec:java
 * -Dexec.mainClass=dev.slipway.bench.UploadThroughputBenchmark} ({@code -Dsize.mb=512}).
 */
public final class UploadThroughputBenchmark {

    private static final String PASSWORD = "bench-password";
    private static final long PART_SIZE = 16L * 1024 * 1024;

    private UploadThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long size = Long.getLong("size.mb", 512) * 1024 * 1024;
        int rounds = Integer.getInteger("rounds", 3);
        Path work = Files.createTempDirectory("slipway-bench");
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 3, "slipway.events");
        kafka.afterPropertiesSet();
        try (S3Server s3 = S3Server.onDisk(Files.createDirectories(work.resolve("s3")))) {
            ConfigurableApplicationContext service = UploadServiceApplication.application().run(
                    "--server.port=0", "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                    "--slipway.s3.endpoint=" + s3.endpoint(), "--slipway.s3.access-key=" + s3.accessKey(),
                    "--slipway.s3.secret-key=" + s3.secretKey(), "--slipway.store.max-upload-size=4GB",
                    "--slipway.auth.token-key=" + "t".repeat(40), "--slipway.secrets.key=" + "s".repeat(40),
                    "--slipway.auth.users[0].username=bench",
                    "--slipway.auth.users[0].password-hash=" + new BCryptPasswordEncoder(4).encode(PASSWORD),
                    "--slipway.auth.users[0].roles[0]=admin", "--logging.level.root=WARN");
            try {
                String base = "http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort();
                HttpClient http = HttpClient.newHttpClient();
                send(http, HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/workspace/applications"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\"}")));
                MinioClient minio = MinioClient.builder().endpoint(s3.endpoint()).region(S3Server.REGION)
                        .credentials(s3.accessKey(), s3.secretKey()).build();
                minio.makeBucket(MakeBucketArgs.builder().bucket("direct").build());

                double api = 0;
                double direct = 0;
                for (int round = 0; round <= rounds; round++) {
                    long start = System.nanoTime();
                    MultipartUpload upload = MultipartUpload.of("file", "bench.tar.gz",
                            () -> new GeneratedUpload(size, 1));
                    send(http, HttpRequest.newBuilder(URI.create(base
                                    + "/api/v1/namespaces/workspace/applications/bench/store"))
                            .header("Content-Type", upload.contentType()).POST(upload.body()));
                    double apiRate = size / 1e6 / ((System.nanoTime() - start) / 1e9);

                    start = System.nanoTime();
                    minio.putObject(PutObjectArgs.builder().bucket("direct").object("round-" + round)
                            .stream(new GeneratedUpload(size, 1), -1, PART_SIZE).build());
                    double directRate = size / 1e6 / ((System.nanoTime() - start) / 1e9);
                    if (round > 0) { // round 0 warms up both paths
                        api += apiRate / rounds;
                        direct += directRate / rounds;
                    }
                }
                System.out.printf("upload of %d MiB, mean of %d rounds after a warm-up%n", size >> 20, rounds);
                System.out.printf("through the API (store endpoint): %.0f MB/s%n", api);
                System.out.printf("direct MinIO SDK put (the peer):  %.0f MB/s%n", direct);
                System.out.printf("ratio API / direct: %.2f (goal >= 0.80)%n", api / direct);
            } finally {
                service.close();
            }
        } finally {
            kafka.destroy();
        }
    }

    private static void send(HttpClient http, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("bench:" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }
}
