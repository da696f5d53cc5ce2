package dev.slipway.upload.runtime;

import dev.slipway.upload.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code since} of a log request: a duration back from now ({@code 30s}, {@code 10m}, {@code 2h},
 * {@code 1d}, or combined as {@code 1h30m}) or an RFC 3339 time ({@code 2026-12-01T10:00:00Z}).
 * Anything else is refused (422) with what would be taken.
 */
final class Since {

    private static final Pattern DURATION = Pattern.compile("(?:\\d{1,6}[smhd]){1,4}");
    private static final Pattern PART = Pattern.compile("(\\d{1,6})([smhd])");
    private static final int MAX_LENGTH = 40;
    /** Further back than any log is kept; also keeps the arithmetic in range. */
    private static final Duration LONGEST = Duration.ofDays(3650);

    private Since() {
    }

    /** The moment {@code value} names, or null for none (all the lines the runtime keeps, up to the cap). */
    static Instant parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.length() <= MAX_LENGTH && DURATION.matcher(text).matches()) {
            Duration back = Duration.ZERO;
            Matcher part = PART.matcher(text);
            while (part.find()) {
                long amount = Long.parseLong(part.group(1));
                back = back.plus(switch (part.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
            }
            return clock.instant().minus(back.compareTo(LONGEST) > 0 ? LONGEST : back);
        }
        if (text.length() <= MAX_LENGTH) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notATime) {
                // refused below
            }
        }
        throw ApiException.unprocessable("since must be a duration such as 30s, 10m, 2h, 1d or 1h30m, or an "
                + "RFC 3339 time such as 2026-12-01T10:00:00Z");
    }
}
