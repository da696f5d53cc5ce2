package dev.slipway.events;

import java.util.UUID;
import java.util.regex.Pattern;

/** Checks for names that reach S3 keys, image names, Helm releases and Kubernetes objects. */
public final class Names {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int DNS_LABEL_MAX = 63;

    private Names() {
    }

    public static boolean isDnsLabel(String value) {
        return value != null && value.length() <= DNS_LABEL_MAX && DNS_LABEL.matcher(value).matches();
    }

    /** Throws with a message that says what a valid name looks like. */
    public static String requireDnsLabel(String what, String value) {
        if (!isDnsLabel(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a valid DNS-1123 label: use at most "
                    + DNS_LABEL_MAX + " lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        return value;
    }

    /** Blob uids and event ids are UUIDs in their canonical text form. */
    public static String requireUuid(String what, String value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        try {
            if (UUID.fromString(value).toString().equals(value)) {
                return value;
            }
        } catch (IllegalArgumentException notAUuid) {
            // reported below with the field's name
        }
        throw new IllegalArgumentException(what + " '" + value + "' is not a lower-case UUID");
    }

    public static <T> T require(String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }
}
