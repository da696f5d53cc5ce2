package dev.slipway.cli.push;

import dev.slipway.cli.CliException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --memory} and the manifest's {@code memory:}: MiB per instance, written {@code 256}, {@code 256M},
 * {@code 256MB}, {@code 1G} or {@code 1GB}. Only the form is checked here; the server holds the cap.
 */
final class MemoryFlag {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,7})\\s*(m|mb|mi|mib|g|gb|gi|gib)?");

    private MemoryFlag() {
    }

    /** The size in MiB; a CliException naming {@code where} for anything else. */
    static int megabytes(String value, String where) {
        Matcher size = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!size.matches()) {
            throw CliException.usage(where + " '" + value + "' is not a memory size; write it as 256M or 1G");
        }
        long number = Long.parseLong(size.group(1));
        long megabytes = size.group(2) != null && size.group(2).startsWith("g") ? number * 1024 : number;
        if (megabytes > Integer.MAX_VALUE) {
            throw CliException.usage(where + " '" + value + "' is far more memory than any machine has");
        }
        return (int) megabytes;
    }
}
