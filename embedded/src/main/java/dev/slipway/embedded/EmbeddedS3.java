package dev.slipway.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 API server (s3proxy) on loopback, checking V2/V4 request signatures, backed by a folder
 * (objects survive a restart) or by memory. Clients use path-style requests and region {@link #REGION}.
 */
public final class EmbeddedS3 implements AutoCloseable {

    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final S3Proxy proxy;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3(BlobStore store, int port, String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start on port " + port, e);
        }
        // start() hands Jetty its own thread; requests before STARTED would be refused
        if (!Deadline.await(START_TIMEOUT, () -> "STARTED".equals(proxy.getState()))) {
            stopQuietly();
            throw new IllegalStateException("s3proxy not started after " + START_TIMEOUT + ": " + proxy.getState());
        }
    }

    /**
     * Objects live in {@code folder} and survive a restart; the server listens on {@code port} (0: any
     * free port) and accepts only requests signed with these keys, so clients can keep their settings.
     */
    public static EmbeddedS3 onDisk(Path folder, int port, String accessKey, String secretKey) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the S3 folder " + folder, e);
        }
        return new EmbeddedS3(new FilesystemNio2BlobStore(folder.toAbsolutePath().toString()), port, accessKey,
                secretKey);
    }

    /** Objects live in memory and vanish with the server; any free port, keys made up for this run. */
    public static EmbeddedS3 inMemory() {
        return new EmbeddedS3(new TransientNio2BlobStore(), 0, randomAccessKey(), randomSecretKey());
    }

    /** An access key no other run shares, for servers whose clients are configured after start. */
    public static String randomAccessKey() {
        return "slipway-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String randomSecretKey() {
        return UUID.randomUUID().toString();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
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
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop cleanly", e);
        }
    }

    private void stopQuietly() {
        try {
            proxy.stop();
        } catch (Exception ignored) {
            // already failing to start: the start error is the one worth reporting
        }
    }
}
