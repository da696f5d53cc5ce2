package dev.slipway.staging.build;

/** The kinds of app the jib builder knows how to run. */
public enum AppKind {
    /** A folder of files with an index.html, served by busybox httpd. */
    STATIC,
    /** An executable jar, run with {@code java -jar}. */
    JAR,
    /** A Procfile whose {@code web:} process is run by a shell. */
    PROCFILE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
