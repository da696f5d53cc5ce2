package dev.slipway.upload.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures in the Standard Webhooks form: {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "<webhook-id>.<webhook-timestamp>.<body>">} under the key that the {@code whsec_<base64>} secret
 * carries. Signing the id and the time with the body lets a receiver refuse replays: an old
 * timestamp, or an id it has seen.
 */
final class WebhookSignature {

    static final String ID_HEADER = "webhook-id";
    static final String TIMESTAMP_HEADER = "webhook-timestamp";
    static final String SIGNATURE_HEADER = "webhook-signature";
    static final String SECRET_PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;
    private static final int NEW_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A fresh secret: {@code whsec_} and 32 random bytes in base64. */
    static String newSecret() {
        byte[] key = new byte[NEW_KEY_BYTES];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key of a {@code whsec_} secret; throws IllegalArgumentException with what is wrong with it. */
    static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a secret is whsec_ followed by " + MIN_KEY_BYTES + " to "
                    + MAX_KEY_BYTES + " bytes in base64; leave it out and one is made for you");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("the secret after whsec_ is not base64");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("the secret's key has " + key.length + " bytes; it needs "
                    + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES);
        }
        return key;
    }

    /** The key of a stored secret; one stored before secrets took the whsec_ form is its UTF-8 bytes. */
    private static byte[] storedKey(String secret) {
        return secret.startsWith(SECRET_PREFIX) ? key(secret) : secret.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code v1,<base64 signature>} of one delivery attempt. */
    static String sign(String secret, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(storedKey(secret), "HmacSHA256"));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
