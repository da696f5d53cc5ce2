package dev.slipway.upload.api;

/**
 * Text from a caller made safe for one log line: control characters (newlines that would forge a
 * second entry, terminal escapes) and Unicode line separators become {@code ?}, and the length is
 * capped, so what a user typed can neither fake log entries nor flood them.
 */
public final class LogSafe {

    static final int MAX_LENGTH = 200;

    private LogSafe() {
    }

    public static String text(Object value) {
        if (value == null) {
            return "<none>";
        }
        String text = value.toString();
        StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LENGTH + 3));
        for (int i = 0; i < text.length(); i++) {
            if (safe.length() >= MAX_LENGTH) {
                return safe.append("...").toString();
            }
            char c = text.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
            safe.append(unsafe ? '?' : c);
        }
        return safe.toString();
    }
}
