package dev.slipway.upload.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived bearer tokens and session cookies:
 * {@code <kind>.<user>.<issued at, ms>.<expiry, s>.<random id>.<signature>}, signed with HMAC-SHA256
 * under a configured key, so any replica can check them and they outlive restarts. The random id
 * makes every session different (its anti-forgery token too); the time of issue lets a user's
 * tokens be revoked up to a moment (see {@link Revocations}).
 */
public final class SignedTokens {

    /**
     * What a token may be used for; a session cookie cannot be replayed as a bearer token, and a
     * short-lived token cannot pass for a long-lived CLI token or the other way round.
     */
    public enum Kind { TOKEN, SESSION, CLI }

    /** A token that checked out: whom it names, when it was issued and its random id. */
    public record Verified(String username, Instant issuedAt, String id) {
    }

    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration cliTokenTtl;

    /** Tokens whose own expiry is all that bounds them; for tests and tools that mint tokens. */
    public SignedTokens(String key, Clock clock) {
        this(key, clock, null);
    }

    /**
     * @param cliTokenTtl the CLI token lifetime now configured: a CLI token older than it is expired even
     *                    when it was issued for longer, so lowering the setting shortens tokens already out,
     *                    and a revocation kept for this long outlasts every token it may name
     */
    public SignedTokens(String key, Clock clock, Duration cliTokenTtl) {
        if (key == null || key.length() < 32) {
            throw new IllegalArgumentException("slipway.auth.token-key must be set to at least 32 characters, "
                    + "the same on every replica");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), HMAC);
        this.clock = clock;
        this.cliTokenTtl = cliTokenTtl;
    }

    public String issue(Kind kind, String username, Duration ttl) {
        Instant now = clock.instant();
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        String payload = name(kind) + "." + ENCODER.encodeToString(username.getBytes(StandardCharsets.UTF_8)) + "."
                + now.toEpochMilli() + "." + now.plus(ttl).getEpochSecond() + "." + ENCODER.encodeToString(id);
        return payload + "." + sign(payload);
    }

    /** The kind a token claims to be (its first field), before anything is checked; TOKEN when unknown. */
    public static Kind claimedKind(String token) {
        return token.startsWith(name(Kind.CLI) + ".") ? Kind.CLI : Kind.TOKEN;
    }

    /** The random id of a token this key issued, which names it for revocation. */
    public static String idOf(String issued) {
        return issued.split("\\.", -1)[4];
    }

    /** The user the token names, or an {@link InvalidTokenException} saying why not. */
    public Verified verify(Kind kind, String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 6) {
            throw new InvalidTokenException("malformed token", true);
        }
        String payload = token.substring(0, token.lastIndexOf('.'));
        if (!MessageDigest.isEqual(sign(payload).getBytes(StandardCharsets.US_ASCII),
                parts[5].getBytes(StandardCharsets.US_ASCII))) {
            throw new InvalidTokenException("token signature does not match", true);
        }
        if (!parts[0].equals(name(kind))) {
            throw new InvalidTokenException("a " + parts[0] + " cannot be used as a " + name(kind), true);
        }
        long issuedAt;
        long expiry;
        try {
            issuedAt = Long.parseLong(parts[2]);
            expiry = Long.parseLong(parts[3]);
        } catch (NumberFormatException e) {
            throw new InvalidTokenException("malformed token", true);
        }
        boolean outlivedSetting = kind == Kind.CLI && cliTokenTtl != null
                && Instant.ofEpochMilli(issuedAt).plus(cliTokenTtl).isBefore(clock.instant());
        if (Instant.ofEpochSecond(expiry).isBefore(clock.instant()) || outlivedSetting) {
            throw new InvalidTokenException(kind == Kind.CLI ? "CLI token expired; run 'slipway login' again"
                    : "token expired; get a new one from /api/v1/authtoken or log in again", false);
        }
        return new Verified(new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8),
                Instant.ofEpochMilli(issuedAt), parts[4]);
    }

    /**
     * The anti-forgery token that goes with a session cookie: derived from the cookie under the same
     * key, so every replica can check it without storing anything, and it ends with its session.
     */
    public String csrfToken(String session) {
        return sign("csrf." + session);
    }

    /** Whether {@code presented} is the anti-forgery token of {@code session}, compared in constant time. */
    public boolean isCsrfToken(String session, String presented) {
        return presented != null && MessageDigest.isEqual(csrfToken(session).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static String name(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
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

    /**
     * Why a token was refused; the API answers 401 with this message. {@code forged} when no key
     * holder made it (malformed, wrong signature or kind), which counts as a guess; an expired or
     * revoked token is a client that is late, not an attack.
     */
    public static final class InvalidTokenException extends RuntimeException {
        private final boolean forged;

        public InvalidTokenException(String message, boolean forged) {
            super(message);
            this.forged = forged;
        }

        public boolean forged() {
            return forged;
        }
    }
}
