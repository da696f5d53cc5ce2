package dev.slipway.cli;

/**
 * A failure to tell the user in one message, with the exit code the command ends with. The codes
 * are a contract with scripts (listed in {@code slipway --help} and the README); use the constants.
 */
public class CliException extends RuntimeException {

    /** A push failed at a stage, the user declined, or the server refused for another reason (409, 422, 5xx). */
    public static final int FAILED = 1;
    /** The command line or a local input (manifest, folder, flags) is wrong. */
    public static final int USAGE = 2;
    /** Not logged in, or the server refused the credentials (401) or the access (403). */
    public static final int AUTH = 3;
    /** The app, push or other thing named does not exist (404). */
    public static final int NOT_FOUND = 4;
    /** Nothing answers at the server's address. */
    public static final int UNREACHABLE = 5;

    private final int exitCode;

    public CliException(String message) {
        this(message, FAILED);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Bad input of the user's own: exit code {@link #USAGE}. */
    public static CliException usage(String message) {
        return new CliException(message, USAGE);
    }

    public int exitCode() {
        return exitCode;
    }
}
