package dev.slipway.testsupport.s3;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 API server (s3proxy) on a random loopback port, with V2/V4 request signing, backed by
 * memory or by a folder. Clients use path-style requests and region {@code us-east-1}.
 */
public final class S3Server implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final String accessKey;
    private final String secretKey;

    private S3Server(BlobStore store) {
        this.accessKey = "slipway-" + UUID.randomUUID().toString().substring(0, 8);
        this.secretKey = UUID.randomUUID().toString();
        this.proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "STARTED".equals(proxy.getState()));
    }

    /** Objects live in memory and vanish with the server. */
    public static S3Server inMemory() {
        return new S3Server(new TransientNio2BlobStore());
    }

    /** Objects live in {@code folder} and survive a restart of the server. */
    public static S3Server onDisk(Path folder) {
        return new S3Server(new FilesystemNio2BlobStore(folder.toAbsolutePath().toString()));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public int port() {
        return proxy.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
