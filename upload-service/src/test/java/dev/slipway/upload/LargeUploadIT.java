package dev.slipway.upload;

import dev.slipway.testsupport.http.ApiClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.BlobUploaded;
import dev.slipway.events.Topics;
import dev.slipway.testsupport.FreePorts;
import dev.slipway.testsupport.archives.GeneratedUpload;
import dev.slipway.testsupport.kafka.EventLog;
import dev.slipway.testsupport.s3.S3Server;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A 1 GiB upload through the API of the packaged service, run with its heap capped at 256 MiB:
 * the upload streams to S3 in parts and arrives whole (same sha256 in the event and in S3).
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
class LargeUploadIT {

    private static final long SIZE = 1024L * 1024 * 1024;
    private static final String PASSWORD = "large-upload-pw";

    @Test
    void aOneGibUploadStreamsThroughA256MibHeapIntact(@TempDir Path work) throws Exception {
        String brokers = EmbeddedKafkaCondition.getBroker().getBrokersAsString();
        int port = FreePorts.next();
        try (S3Server s3 = S3Server.onDisk(Files.createDirectories(work.resolve("s3")));
             EventLog log = new EventLog(brokers)) {
            Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", System.getProperty("slipway.exec.jar"),
                    "--server.port=" + port, "--spring.kafka.bootstrap-servers=" + brokers,
                    "--slipway.upload.streams.state-dir=" + UploadServiceTest.stateDir(),
                    "--slipway.s3.endpoint=" + s3.endpoint(), "--slipway.s3.access-key=" + s3.accessKey(),
                    "--slipway.s3.secret-key=" + s3.secretKey(), "--slipway.store.max-upload-size=2GB",
                    "--slipway.auth.token-key=" + "t".repeat(40), "--slipway.secrets.key=" + "s".repeat(40),
                    "--slipway.auth.users[0].username=admin",
                    "--slipway.auth.users[0].password-hash=" + new BCryptPasswordEncoder(4).encode(PASSWORD),
                    "--slipway.auth.users[0].roles[0]=admin")
                    .redirectErrorStream(true).redirectOutput(work.resolve("service.log").toFile()).start();
            try {
                ApiClient api = ApiClient.anonymous(port).basic("admin", PASSWORD);
                await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                        .until(() -> api.get("/actuator/health").body().path("status").asString().equals("UP"));
                api.post("/api/v1/namespaces/workspace/applications", Map.of("name", "big"));

                AtomicReference<MessageDigest> sent = new AtomicReference<>();
                long started = System.nanoTime();
                ApiClient.Reply reply = api.upload("/api/v1/namespaces/workspace/applications/big/store", "file",
                        () -> {
                            MessageDigest digest = sha256();
                            sent.set(digest);
                            return new DigestInputStream(new GeneratedUpload(SIZE, 7), digest);
                        });
                double seconds = (System.nanoTime() - started) / 1e9;

                assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
                String blobUid = reply.body().path("blobuid").asString();
                String sentSha = HexFormat.of().formatHex(sent.get().digest());
                BlobUploaded uploaded = (BlobUploaded) log.decode(log.awaitRecord(
                        record -> blobUid.equals(record.key()), Duration.ofSeconds(30))).data();
                assertThat(uploaded.sizeBytes()).isEqualTo(SIZE);
                assertThat(uploaded.sha256()).isEqualTo(sentSha);
                assertThat(sha256Of(s3, "workspace/big/" + blobUid)).isEqualTo(sentSha);
                System.out.printf("1 GiB upload through the API with -Xmx256m: %.1f s, %.0f MB/s, service peak RSS %s%n",
                        seconds, SIZE / 1e6 / seconds, peakRss(service));
            } finally {
                service.destroy();
            }
        }
    }

    private static String sha256Of(S3Server s3, String key) throws Exception {
        MinioClient client = MinioClient.builder().endpoint(s3.endpoint()).region(S3Server.REGION)
                .credentials(s3.accessKey(), s3.secretKey()).build();
        MessageDigest digest = sha256();
        try (InputStream stored = client.getObject(GetObjectArgs.builder().bucket("slipway-blobs").object(key).build());
             OutputStream sink = OutputStream.nullOutputStream()) {
            new DigestInputStream(stored, digest).transferTo(sink);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String peakRss(Process process) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM")).findFirst().map(line -> line.replaceAll("\\s+", " "))
                    .orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
