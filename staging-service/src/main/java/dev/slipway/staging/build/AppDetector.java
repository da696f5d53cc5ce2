package dev.slipway.staging.build;

import dev.slipway.events.ReasonCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Tells what an unpacked app is, in this order: a language project (Maven, Gradle with its wrapper,
 * Go, Node, Python: their build files at the top), a Procfile with a {@code web:} process, one
 * executable jar, or a static site with an index.html. A language project wins over a bare
 * index.html (a site's build output is often beside its sources), and its Procfile's {@code web:}
 * line, when there is one, replaces the command the language would start. Anything else cannot be
 * built here, and the failure lists what was looked for.
 */
public final class AppDetector {

    /** More than this of a Procfile is not read: the {@code web:} line is near its top. */
    static final int PROCFILE_MAX_BYTES = 64 * 1024;

    /**
     * What was found and the command that starts it ({@code $PORT} is set in the container). For a
     * language build the command is the Procfile's {@code web:} process, or empty: its build plan
     * picks the language's own.
     */
    public record DetectedApp(AppKind kind, List<String> command, String detail) {

        public DetectedApp {
            command = List.copyOf(command);
        }

        /** A language project, built in a build container before its image is made. */
        public boolean languageBuild() {
            return LANGUAGES.stream().anyMatch(language -> language.kind() == kind);
        }
    }

    /**
     * What {@link #detect(Path)} tells, unless the source is built from a Dockerfile: the one the push
     * named, or a {@code Dockerfile} at the top, comes before any language or kind.
     */
    public DetectedApp detect(Path root, BuildInputs inputs) throws StageFailure, IOException {
        Optional<DetectedApp> dockerfile = dockerfile(root, inputs.dockerfile());
        return dockerfile.isPresent() ? dockerfile.get() : detect(root);
    }

    /** A Dockerfile build: no command of ours, the image says how it starts; detail names the file. */
    static Optional<DetectedApp> dockerfile(Path root, String named) throws StageFailure, IOException {
        return Dockerfiles.find(root, named).map(file -> new DetectedApp(AppKind.DOCKERFILE, List.of(),
                "Dockerfile: " + (named == null ? Dockerfiles.DEFAULT : named)));
    }

    /** A language and the files at the top of the source that mark it. */
    private record Language(AppKind kind, String marks, List<List<String>> markers) {

        /** Found when every file of one of the marker sets is there. */
        boolean foundIn(Path root) {
            return markers.stream().anyMatch(set -> set.stream().allMatch(file -> isFile(root.resolve(file))));
        }
    }

    /**
     * In the order they win when several are found: a JVM project often carries a package.json for
     * its front end, a Node project rarely a pom.xml.
     */
    private static final List<Language> LANGUAGES = List.of(
            new Language(AppKind.MAVEN, "pom.xml", List.of(List.of("pom.xml"))),
            new Language(AppKind.GRADLE, "gradlew with build.gradle or build.gradle.kts",
                    List.of(List.of("gradlew", "build.gradle"), List.of("gradlew", "build.gradle.kts"))),
            new Language(AppKind.GO, "go.mod", List.of(List.of("go.mod"))),
            new Language(AppKind.NODE, "package.json", List.of(List.of("package.json"))),
            new Language(AppKind.PYTHON, "requirements.txt or pyproject.toml",
                    List.of(List.of("requirements.txt"), List.of("pyproject.toml"))));

    public DetectedApp detect(Path root) throws StageFailure, IOException {
        Optional<String> web = procfileWeb(root);
        List<Language> languages = LANGUAGES.stream().filter(language -> language.foundIn(root)).toList();
        if (!languages.isEmpty()) {
            Language language = languages.get(0);
            String also = languages.size() > 1 ? " (also found " + String.join(", ", languages.subList(1,
                    languages.size()).stream().map(Language::marks).toList()) + "; built as " + language.kind()
                    .wireName() + ")" : "";
            return new DetectedApp(language.kind(), web.map(AppDetector::shell).orElse(List.of()),
                    language.kind().wireName() + " project: " + language.marks() + also
                            + web.map(command -> "; Procfile web process: " + command).orElse(""));
        }
        if (web.isPresent()) {
            return new DetectedApp(AppKind.PROCFILE, shell(web.get()), "Procfile web process: " + web.get());
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(root)) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar") && isFile(file))
                    .filter(AppDetector::isExecutableJar)
                    .toList();
        }
        if (jars.size() == 1) {
            String jar = jars.get(0).getFileName().toString();
            return new DetectedApp(AppKind.JAR, List.of("java", "-jar", "/workspace/" + jar),
                    "executable jar: " + jar);
        }
        if (isFile(root.resolve("index.html"))) {
            return new DetectedApp(AppKind.STATIC, List.of("/bin/busybox", "sh", "-c",
                    "exec /bin/busybox httpd -f -p \"${PORT:-8080}\" -h /workspace"), "static site: index.html");
        }
        throw new StageFailure(ReasonCodes.BUILDER_NOT_DETECTED, "cannot tell how to run this app: looked at the "
                + "top of the source for " + lookedFor()
                + (jars.size() > 1 ? " (found " + jars.size() + " executable jars: keep one)" : "")
                + "; add the one that fits your app (for example a package.json with a start script, or a Procfile "
                + "with 'web: <command>'), or push with a builder image (--builder-image) for the kubernetes builder",
                false);
    }

    /** Everything detection looks for, for a failure's message. */
    static String lookedFor() {
        List<String> all = new ArrayList<>(List.of("a Dockerfile (or the one --dockerfile names)"));
        all.addAll(LANGUAGES.stream().map(language -> language.marks() + " ("
                + language.kind().wireName() + ")").toList());
        all.addAll(List.of("a Procfile with a 'web:' process", "one executable .jar (with a Main-Class)",
                "an index.html (static site)"));
        return String.join(", ", all);
    }

    /** The first {@code web:} command of the Procfile, if there is one; only its first 64 KB are read. */
    static Optional<String> procfileWeb(Path root) throws IOException {
        Path procfile = root.resolve("Procfile");
        if (!isFile(procfile)) {
            return Optional.empty();
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(procfile, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(PROCFILE_MAX_BYTES);
        }
        return new String(head, StandardCharsets.UTF_8).lines()
                .map(String::trim)
                .filter(line -> line.startsWith("web:"))
                .map(line -> line.substring("web:".length()).trim())
                // a NUL cannot be handed to a process; such a line is no command
                .filter(command -> !command.isEmpty() && command.indexOf('\0') < 0)
                .findFirst();
    }

    private static List<String> shell(String command) {
        return List.of("/bin/sh", "-c", command);
    }

    /** A regular file; a link to one counts too (the unpacker resolved it inside the app). */
    private static boolean isFile(Path path) {
        return Files.isRegularFile(path);
    }

    private static boolean isExecutableJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
        } catch (IOException notAJar) {
            return false;
        }
    }
}
