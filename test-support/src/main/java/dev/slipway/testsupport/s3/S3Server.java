package dev.slipway.testsupport.s3;

import dev.slipway.embedded.EmbeddedS3;
import java.nio.file.Path;

/**
 * A real S3 API server for tests: {@link EmbeddedS3} on a random loopback port with keys made up per
 * server, backed by memory or by a folder. Clients use path-style requests and region {@link #REGION}.
 */
public final class S3Server implements AutoCloseable {

    public static final String REGION = EmbeddedS3.REGION;

    private final EmbeddedS3 server;

    private S3Server(EmbeddedS3 server) {
        this.server = server;
    }

    /** Objects live in memory and vanish with the server. */
    public static S3Server inMemory() {
        return new S3Server(EmbeddedS3.inMemory());
    }

    /** Objects live in {@code folder} and survive a restart of the server (which gets new keys and port). */
    public static S3Server onDisk(Path folder) {
        return new S3Server(EmbeddedS3.onDisk(folder, 0, EmbeddedS3.randomAccessKey(), EmbeddedS3.randomSecretKey()));
    }

    public String endpoint() {
        return server.endpoint();
    }

    public int port() {
        return server.port();
    }

    public String accessKey() {
        return server.accessKey();
    }

    public String secretKey() {
        return server.secretKey();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
