package dev.slipway.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The keys and the password of one local installation, made on its first start and kept in its
 * data folder (mode 0600), so tokens, sealed env values, stored blobs and the login stay valid
 * across restarts.
 */
record LocalSecrets(String tokenKey, String secretsKey, String s3AccessKey, String s3SecretKey, String password) {

    static final String USER = "dev";
    private static final SecureRandom RANDOM = new SecureRandom();

    static LocalSecrets loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            Properties saved = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                saved.load(reader);
            }
            return new LocalSecrets(saved.getProperty("token-key"), saved.getProperty("secrets-key"),
                    saved.getProperty("s3-access-key"), saved.getProperty("s3-secret-key"),
                    saved.getProperty("password"));
        }
        LocalSecrets made = new LocalSecrets(random(32), random(32), "slipway-" + random(4), random(20), random(12));
        Properties properties = new Properties();
        properties.setProperty("token-key", made.tokenKey());
        properties.setProperty("secrets-key", made.secretsKey());
        properties.setProperty("s3-access-key", made.s3AccessKey());
        properties.setProperty("s3-secret-key", made.s3SecretKey());
        properties.setProperty("password", made.password());
        Files.createDirectories(file.getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, "Slipway local mode: keys and the password of user " + USER);
        }
        return made;
    }

    /** A short name of this installation, stable across restarts (its containers carry it). */
    String installation() {
        return tokenKey.substring(0, 8);
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
