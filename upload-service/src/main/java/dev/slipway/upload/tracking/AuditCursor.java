package dev.slipway.upload.tracking;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A place in the audit trail: an event's time and id (the order of the trail, time first). Clients
 * see it as an opaque {@code after} token; it only says where a page starts, never what a caller may
 * see, so a crafted one can move the page but not widen it.
 */
public record AuditCursor(long epochNanos, String eventId) implements Comparable<AuditCursor> {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,300}");

    public AuditCursor {
        if (!ID.matcher(eventId).matches()) {
            throw new IllegalArgumentException("not an event id");
        }
    }

    public static AuditCursor of(OffsetDateTime time, String eventId) {
        return new AuditCursor(nanos(time.toInstant()), eventId);
    }

    /** The cursor of an event as clients see it (CloudEvents JSON with {@code time} and {@code id}). */
    public static AuditCursor of(JsonNode event) {
        return of(OffsetDateTime.parse(event.path("time").asString()), event.path("id").asString());
    }

    /** Nanoseconds since 1970, held to 0..Long.MAX_VALUE (years 1970..2262): the order of every time asked for. */
    public static long nanos(Instant time) {
        if (time.getEpochSecond() < 0) {
            return 0;
        }
        try {
            return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
        } catch (ArithmeticException afterYear2262) {
            return Long.MAX_VALUE;
        }
    }

    /** Reads a token made by {@link #token()}; an {@link IllegalArgumentException} for anything else. */
    public static AuditCursor parse(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("after must be the cursor of a previous page's Link header");
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("after must be the cursor of a previous page's Link header");
        }
        String[] parts = text.split("/", -1);
        if (parts.length != 3 || !"1".equals(parts[0]) || !parts[1].matches("[0-9]{1,19}")) {
            throw new IllegalArgumentException("after must be the cursor of a previous page's Link header");
        }
        try {
            return new AuditCursor(Long.parseLong(parts[1]), parts[2]);
        } catch (IllegalArgumentException tooLargeOrNoId) {
            throw new IllegalArgumentException("after must be the cursor of a previous page's Link header");
        }
    }

    public String token() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("1/" + epochNanos + "/" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    /** A sortable key: fixed-width time, then the id. */
    public String key() {
        return String.format("%019d", epochNanos) + "/" + eventId;
    }

    /**
     * The key of an event's entry in the time index: its cursor's {@link #key()}, then its namespace and
     * app, so a query skips other namespaces' and apps' entries without reading them.
     */
    public static String entryKey(OffsetDateTime time, String eventId, String namespace, String app) {
        return of(time, eventId).key() + "/" + namespace + "/" + app;
    }

    /** The cursor of an entry key (or of a bare {@link #key()}). */
    public static AuditCursor fromKey(String key) {
        String[] parts = key.split("/", 4);
        return new AuditCursor(Long.parseLong(parts[0]), parts[1]);
    }

    /** The namespace and app of an entry key made by {@link #entryKey}. */
    public static String[] subjectOf(String entryKey) {
        String[] parts = entryKey.split("/", 4);
        return parts.length == 4 ? new String[] {parts[2], parts[3]} : new String[] {"", ""};
    }

    @Override
    public int compareTo(AuditCursor other) {
        return key().compareTo(other.key());
    }
}
