package dev.slipway.upload;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A receiver's check of a delivery, written from the Standard Webhooks specification alone. */
final class StandardWebhooks {

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private StandardWebhooks() {
    }

    static boolean verifies(String secret, String id, String timestamp, String signatures, byte[] body, Instant now) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long sent = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - sent) > TOLERANCE.toSeconds()) {
            return false;  // too old (or from the future): a replay
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String signature : signatures.split(" ")) {
            String[] versioned = signature.split(",", 2);
            if (versioned.length == 2 && versioned[0].equals("v1")
                    && MessageDigest.isEqual(Base64.getDecoder().decode(versioned[1]), expected)) {
                return true;
            }
        }
        return false;
    }
}
