package dev.slipway.staging.build;

/** The kinds of app the local builder knows how to build and run. */
public enum AppKind {
    /** A folder of files with an index.html, served by busybox httpd. */
    STATIC,
    /** An executable jar, run with {@code java -jar}. */
    JAR,
    /** A Procfile whose {@code web:} process is run by a shell. */
    PROCFILE,
    /** A Node.js project: {@code package.json}; dependencies installed at build time. */
    NODE,
    /** A Python project: {@code requirements.txt} or {@code pyproject.toml}. */
    PYTHON,
    /** A Go module: {@code go.mod}, built into a static binary. */
    GO,
    /** A Maven project: {@code pom.xml}, packaged into a jar run on the JVM base. */
    MAVEN,
    /** A Gradle project with its wrapper ({@code gradlew}), packaged into a jar run on the JVM base. */
    GRADLE,
    /** A Dockerfile, built as it says (podman locally, a Job on Kubernetes). */
    DOCKERFILE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
