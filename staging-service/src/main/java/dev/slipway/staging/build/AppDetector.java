package dev.slipway.staging.build;

import dev.slipway.events.ReasonCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Tells what an unpacked app is, in this order: a Procfile with a {@code web:} process, one
 * executable jar, or a static site with an index.html. Anything else cannot be built by the jib
 * builder, and the failure lists what was looked for.
 */
public final class AppDetector {

    /** What was found and the command that starts it ({@code $PORT} is set in the container). */
    public record DetectedApp(AppKind kind, List<String> command, String detail) {
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

    public DetectedApp detect(Path root) throws StageFailure, IOException {
        Path procfile = root.resolve("Procfile");
        if (Files.isRegularFile(procfile)) {
            Optional<String> web = Files.readAllLines(procfile).stream()
                    .map(String::trim)
                    .filter(line -> line.startsWith("web:"))
                    .map(line -> line.substring("web:".length()).trim())
                    .filter(command -> !command.isEmpty())
                    .findFirst();
            if (web.isPresent()) {
                return new DetectedApp(AppKind.PROCFILE, List.of("/bin/sh", "-c", web.get()),
                        "Procfile web process: " + web.get());
            }
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(root)) {
            jars = files.filter(file -> file.getFileName().toString().endsWith(".jar") && Files.isRegularFile(file))
                    .filter(AppDetector::isExecutableJar)
                    .toList();
        }
        if (jars.size() == 1) {
            String jar = jars.get(0).getFileName().toString();
            return new DetectedApp(AppKind.JAR, List.of("java", "-jar", "/workspace/" + jar),
                    "executable jar: " + jar);
        }
        if (Files.isRegularFile(root.resolve("index.html"))) {
            return new DetectedApp(AppKind.STATIC, List.of("/bin/busybox", "sh", "-c",
                    "exec /bin/busybox httpd -f -p \"${PORT:-8080}\" -h /workspace"), "static site: index.html");
        }
        throw new StageFailure(ReasonCodes.BUILDER_NOT_DETECTED, "cannot tell how to run this app: looked for a "
                + "Procfile with a 'web:' process, one executable .jar (with a Main-Class), and an index.html at the "
                + "top of the source" + (jars.size() > 1 ? " (found " + jars.size() + " executable jars: keep one)" : "")
                + "; add one of them, or push with a builder image (--builder-image) for the kubernetes builder",
                false);
    }

    private static boolean isExecutableJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
        } catch (IOException notAJar) {
            return false;
        }
    }
}
