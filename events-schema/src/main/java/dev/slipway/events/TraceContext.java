package dev.slipway.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The W3C Trace Context of an event (CloudEvents distributed-tracing extension): one push is one trace,
 * each event one span in it. An event's span id is derived from its event id, so an event issued again
 * under the same id (the queue's stage request after a restart) is the same span.
 *
 * <p>{@link #parse} reads what a client or another system sent and never throws: anything that is not a
 * valid {@code traceparent} is not taken (the caller starts a fresh trace), and a {@code tracestate} that
 * breaks the rules is dropped while its valid {@code traceparent} is kept, as the W3C recommendation asks.
 *
 * @param traceId    32 lower-case hex digits, not all zero
 * @param spanId     16 lower-case hex digits, not all zero: this event's span
 * @param parentId   the span this one is a child of (the cause's span, or the client's), or null for a root
 * @param sampled    the {@code sampled} trace flag
 * @param traceState the vendors' {@code tracestate} list, normalised, or null
 */
public record TraceContext(String traceId, String spanId, String parentId, boolean sampled, String traceState) {

    /** CloudEvents extension and HTTP header names (W3C Trace Context, CloudEvents distributed tracing). */
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** Slipway's extension naming the parent span, so the event log alone holds each push's span tree. */
    public static final String PARENT_SPAN = "parentspanid";

    /** The longest {@code tracestate} taken; the recommendation lets vendors propagate at least 512 characters. */
    public static final int MAX_TRACESTATE_CHARS = 512;
    static final int MAX_TRACESTATE_MEMBERS = 32;
    /** A {@code traceparent} of a later version may be longer than version 00's 55 characters, not endlessly. */
    static final int MAX_TRACEPARENT_CHARS = 256;

    private static final int VERSION_00_LENGTH = 55;
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern HEX_BYTE = Pattern.compile("[0-9a-f]{2}");
    private static final Pattern MEMBER = Pattern.compile(
            "(?<key>[a-z][a-z0-9_\\-*/]{0,255}|[a-z0-9][a-z0-9_\\-*/]{0,240}@[a-z][a-z0-9_\\-*/]{0,13})"
                    + "=[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    public TraceContext {
        if (!isId(traceId, TRACE_ID)) {
            throw new IllegalArgumentException("trace id '" + traceId + "' is not 32 lower-case hex digits (not all zero)");
        }
        if (!isId(spanId, SPAN_ID)) {
            throw new IllegalArgumentException("span id '" + spanId + "' is not 16 lower-case hex digits (not all zero)");
        }
        if (parentId != null && !isId(parentId, SPAN_ID)) {
            throw new IllegalArgumentException("parent span id '" + parentId
                    + "' is not 16 lower-case hex digits (not all zero)");
        }
        if (traceState != null) {
            traceState = normalisedTraceState(traceState)
                    .orElseThrow(() -> new IllegalArgumentException("tracestate breaks the W3C rules"));
        }
    }

    /** A new trace whose first span is the event {@code eventId}. */
    public static TraceContext start(String eventId) {
        return new TraceContext(randomHex(16), spanOf(eventId), null, true, null);
    }

    /** The event {@code eventId} as a child of {@code caller} (a client's span), or a new trace without one. */
    public static TraceContext startUnder(TraceContext caller, String eventId) {
        return caller == null ? start(eventId) : caller.childFor(eventId);
    }

    /**
     * What a caller sent: its trace and its span (as {@link #spanId}), when {@code traceparent} is valid;
     * empty otherwise. Never throws. An invalid {@code tracestate} is dropped, the trace kept.
     */
    public static Optional<TraceContext> parse(String traceparent, String tracestate) {
        if (traceparent == null || traceparent.length() < VERSION_00_LENGTH
                || traceparent.length() > MAX_TRACEPARENT_CHARS) {
            return Optional.empty();
        }
        String version = traceparent.substring(0, 2);
        if (!HEX_BYTE.matcher(version).matches() || version.equals("ff")) {
            return Optional.empty();
        }
        // version 00 is exactly 55 characters; a later version may add fields after another dash
        if (version.equals("00") ? traceparent.length() != VERSION_00_LENGTH
                : traceparent.length() > VERSION_00_LENGTH && traceparent.charAt(VERSION_00_LENGTH) != '-') {
            return Optional.empty();
        }
        if (traceparent.charAt(2) != '-' || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-') {
            return Optional.empty();
        }
        String traceId = traceparent.substring(3, 35);
        String spanId = traceparent.substring(36, 52);
        String flags = traceparent.substring(53, 55);
        if (!isId(traceId, TRACE_ID) || !isId(spanId, SPAN_ID) || !HEX_BYTE.matcher(flags).matches()) {
            return Optional.empty();
        }
        boolean sampled = (Integer.parseInt(flags, 16) & 1) == 1;
        return Optional.of(new TraceContext(traceId, spanId, null, sampled,
                normalisedTraceState(tracestate).orElse(null)));
    }

    /** A span id that is only valid as a parent: null for anything else. Never throws. */
    public static String parseSpanId(String spanId) {
        return isId(spanId, SPAN_ID) ? spanId : null;
    }

    /**
     * The trace of an event that carries none (written before events had one, or with a broken one):
     * derived from its ids, so every event of such a push shares one trace and the same span tree,
     * however often it is read.
     */
    public static TraceContext derived(String correlationId, String eventId, String causationId) {
        String traceId = correlationId.replace("-", "");
        if (!isId(traceId, TRACE_ID)) {
            traceId = HEX.formatHex(sha256(correlationId), 0, 16);
        }
        String parent = causationId == null || causationId.equals(eventId) ? null : spanOf(causationId);
        return new TraceContext(traceId, spanOf(eventId), parent, true, null);
    }

    /** A child span with a fresh random id: same trace, this span as its parent. */
    public TraceContext child() {
        return new TraceContext(traceId, randomHex(8), spanId, sampled, traceState);
    }

    /** The span of the event {@code eventId}, caused by this one's: same trace, this span as its parent. */
    public TraceContext childFor(String eventId) {
        return new TraceContext(traceId, spanOf(eventId), spanId, sampled, traceState);
    }

    /** The span of {@code eventId} issued in place of this one: same trace, same parent, a span of its own. */
    public TraceContext siblingFor(String eventId) {
        return new TraceContext(traceId, spanOf(eventId), parentId, sampled, traceState);
    }

    /** The W3C {@code traceparent} of this span: {@code 00-<trace id>-<span id>-<flags>}. */
    public String traceparent() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    /** The span id of an event: the first 8 bytes of the SHA-256 of its id, never all zero. */
    static String spanOf(String eventId) {
        String span = HEX.formatHex(sha256(eventId), 0, 8);
        return isId(span, SPAN_ID) ? span : "0000000000000001";
    }

    private static boolean isId(String value, Pattern format) {
        return value != null && format.matcher(value).matches() && value.chars().anyMatch(c -> c != '0');
    }

    /** The list members of a valid {@code tracestate}, joined by commas; empty when it breaks a rule. */
    private static Optional<String> normalisedTraceState(String tracestate) {
        if (tracestate == null || tracestate.length() > MAX_TRACESTATE_CHARS) {
            return Optional.empty();
        }
        List<String> members = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (String member : tracestate.split(",", -1)) {
            String trimmed = withoutOptionalWhitespace(member);
            if (trimmed.isEmpty()) {
                continue;
            }
            var matcher = MEMBER.matcher(trimmed);
            if (!matcher.matches() || !keys.add(matcher.group("key")) || members.size() == MAX_TRACESTATE_MEMBERS) {
                return Optional.empty();
            }
            members.add(trimmed);
        }
        return members.isEmpty() ? Optional.empty() : Optional.of(String.join(",", members));
    }

    /** OWS of the recommendation: spaces and tabs only. */
    private static String withoutOptionalWhitespace(String member) {
        int start = 0;
        int end = member.length();
        while (start < end && (member.charAt(start) == ' ' || member.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (member.charAt(end - 1) == ' ' || member.charAt(end - 1) == '\t')) {
            end--;
        }
        return member.substring(start, end);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        String hex;
        do {
            RANDOM.nextBytes(random);
            hex = HEX.formatHex(random);
        } while (hex.chars().allMatch(c -> c == '0'));
        return hex;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }
}
