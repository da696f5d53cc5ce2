package dev.slipway.upload.runtime;

import java.nio.charset.StandardCharsets;

/**
 * An app's output made safe for a terminal and bounded: it is the app's, so hostile. Terminal escape
 * sequences (colours, but also cursor moves, title changes, OSC 8 links, clipboard writes) are
 * dropped whole; other control characters, Unicode line separators and bidirectional overrides
 * become {@code ?}; tabs stay. A line longer than the cap is cut and says so.
 */
public final class LogText {

    /** The mark at the end of a cut line. */
    static final String CUT = " [line cut]";
    private static final char ESC = 0x1b;
    private static final char BEL = 0x07;
    private static final char ST = 0x9c;
    private static final char CSI = 0x9b;
    private static final char OSC = 0x9d;

    private LogText() {
    }

    /** {@code raw} made safe; {@code cut} says the runtime's line was longer than what was read of it. */
    public static String clean(String raw, boolean cut, int maxBytes) {
        StringBuilder safe = new StringBuilder(Math.min(raw.length(), maxBytes));
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == ESC || c == CSI || c == OSC) {
                i = afterEscape(raw, i);
                continue;
            }
            safe.append(unsafe(c) ? '?' : c);
            i++;
        }
        String text = safe.toString();
        if (text.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            text = prefix(text, maxBytes);
            cut = true;
        }
        return cut ? text + CUT : text;
    }

    /** The index after the escape sequence that starts at {@code start}. */
    private static int afterEscape(String raw, int start) {
        int i = start + 1;
        if (raw.charAt(start) == OSC) {
            return afterString(raw, i);
        }
        if (raw.charAt(start) == ESC) {
            if (i >= raw.length()) {
                return i;
            }
            char next = raw.charAt(i++);
            if (next == ']' || next == 'P' || next == '_' || next == '^' || next == 'X') {
                // OSC, DCS, APC, PM, SOS: a string up to BEL or ESC \
                return afterString(raw, i);
            }
            if (next != '[') {
                // a two-character escape (ESC c, ESC 7) or one with intermediate bytes first (ESC ( B)
                while (next >= 0x20 && next <= 0x2f && i < raw.length()) {
                    next = raw.charAt(i++);
                }
                return i;
            }
        }
        // CSI: parameter and intermediate bytes, then one final byte
        while (i < raw.length()) {
            char b = raw.charAt(i);
            if (b >= 0x20 && b <= 0x3f) {
                i++;
            } else {
                // a final byte ends it; anything else ends a broken one and is text again (replaced if unsafe)
                return b >= 0x40 && b <= 0x7e ? i + 1 : i;
            }
        }
        return i;
    }

    private static int afterString(String raw, int from) {
        for (int i = from; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == BEL || c == ST) {
                return i + 1;
            }
            if (c == ESC) {
                return i + 1 < raw.length() && raw.charAt(i + 1) == '\\' ? i + 2 : i + 1;
            }
        }
        return raw.length();
    }

    private static boolean unsafe(char c) {
        if (c == '\t') {
            return false;
        }
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT;
    }

    /** The longest prefix of {@code text} of at most {@code maxBytes} UTF-8 bytes, never half a character. */
    private static String prefix(String text, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return text.substring(0, i);
    }
}
