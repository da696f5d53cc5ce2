package dev.slipway.upload.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived bearer tokens and session cookies: {@code <kind>.<user>.<expiry>.<signature>}, signed
 * with HMAC-SHA256 under a configured key, so any replica can check them and they outlive restarts.
 * Nothing is stored server-side; a token ends when it expires.
 */
public final class SignedTokens {

    /** What a token may be used for; a session cookie cannot be replayed as a bearer token. */
    public enum Kind { TOKEN, SESSION }

    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    public SignedTokens(String key, Clock clock) {
        if (key == null || key.length() < 32) {
            throw new IllegalArgumentException("slipway.auth.token-key must be set to at least 32 characters, "
                    + "the same on every replica");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), HMAC);
        this.clock = clock;
    }

    public String issue(Kind kind, String username, Duration ttl) {
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        String payload = kind.name().toLowerCase(java.util.Locale.ROOT) + "."
                + ENCODER.encodeToString(username.getBytes(StandardCharsets.UTF_8)) + "." + expiry;
        return payload + "." + sign(payload);
    }

    /** The user the token names, or an {@link InvalidTokenException} saying why not. */
    public String verify(Kind kind, String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 4) {
            throw new InvalidTokenException("malformed token");
        }
        String payload = parts[0] + "." + parts[1] + "." + parts[2];
        if (!MessageDigest.isEqual(sign(payload).getBytes(StandardCharsets.US_ASCII),
                parts[3].getBytes(StandardCharsets.US_ASCII))) {
            throw new InvalidTokenException("token signature does not match");
        }
        if (!parts[0].equals(kind.name().toLowerCase(java.util.Locale.ROOT))) {
            throw new InvalidTokenException("a " + parts[0] + " cannot be used as a " + kind.name().toLowerCase());
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw new InvalidTokenException("malformed token");
        }
        if (Instant.ofEpochSecond(expiry).isBefore(clock.instant())) {
            throw new InvalidTokenException("token expired; get a new one from /api/v1/authtoken or log in again");
        }
        return new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8);
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return ENCODER.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /** Why a token was refused; the API answers 401 with this message. */
    public static final class InvalidTokenException extends RuntimeException {
        public InvalidTokenException(String message) {
            super(message);
        }
    }
}
