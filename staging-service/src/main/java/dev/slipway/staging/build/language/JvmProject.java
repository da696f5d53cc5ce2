package dev.slipway.staging.build.language;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.AppKind;
import dev.slipway.staging.build.StageFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A Maven project (its wrapper when it has one, else the machine's {@code mvn}) or a Gradle project
 * with its wrapper, packaged without tests, dependencies cached per app. The image holds the one
 * executable jar the build leaves ({@code target/}, {@code build/libs/}) on the JVM base, run with
 * {@code java -jar}.
 */
final class JvmProject {

    private JvmProject() {
    }

    static BuildPlan maven(Path root, List<String> procfileCommand) {
        boolean wrapper = ProjectFiles.has(root, "mvnw");
        String maven = wrapper ? "sh ./mvnw" : "mvn";
        return new BuildPlan(AppKind.MAVEN,
                List.of(maven + " -B -DskipTests -Dmaven.repo.local=" + BuildPlan.CACHE + "/m2/repository package"),
                Map.of("MAVEN_USER_HOME", BuildPlan.CACHE + "/m2", "MAVEN_OPTS", "-Duser.home=/tmp",
                        "HOME", "/tmp", "PATH", "/usr/bin:/bin"),
                procfileCommand, Map.of(), List.of(), List.of(), List.of(), "target",
                (wrapper ? "./mvnw" : "mvn") + " package; starts with " + (procfileCommand.isEmpty()
                        ? "java -jar on the jar in target/" : "the Procfile web process"));
    }

    static BuildPlan gradle(List<String> procfileCommand) {
        return new BuildPlan(AppKind.GRADLE,
                List.of("sh ./gradlew --no-daemon --console=plain build -x test"),
                Map.of("GRADLE_USER_HOME", BuildPlan.CACHE + "/gradle", "GRADLE_OPTS", "-Duser.home=/tmp",
                        "HOME", "/tmp", "PATH", "/usr/bin:/bin"),
                procfileCommand, Map.of(), List.of(), List.of(), List.of(), "build/libs",
                "./gradlew build; starts with " + (procfileCommand.isEmpty() ? "java -jar on the jar in build/libs/"
                        : "the Procfile web process"));
    }

    /**
     * The plan finished after the build: the one executable jar in its folder (not sources, javadoc,
     * Gradle's plain jar or the shade plugin's original) is the image's app layer and, unless the
     * Procfile says otherwise, what starts.
     */
    static BuildPlan withJar(BuildPlan plan, Path root) throws IOException, StageFailure {
        Path folder = root.resolve(plan.jarFolder());
        List<Path> jars = List.of();
        // a link anywhere on the way (build -> /) would list this machine's files, not the build's
        if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                && folder.toRealPath().startsWith(root.toRealPath())) {
            try (Stream<Path> files = Files.list(folder)) {
                jars = files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                        .filter(file -> candidate(file.getFileName().toString()))
                        .filter(JvmProject::executable)
                        .sorted()
                        .toList();
            }
        }
        if (jars.size() != 1) {
            throw new StageFailure(ReasonCodes.BUILD_FAILED, "the build left " + (jars.isEmpty() ? "no executable jar"
                    : jars.size() + " executable jars (" + String.join(", ", jars.stream().map(jar -> jar.getFileName()
                    .toString()).toList()) + ")") + " in " + plan.jarFolder() + "/; it needs exactly one jar whose "
                    + "manifest names its Main-Class (the jar plugin's mainClass, or Spring Boot's plugin)", false);
        }
        String jar = plan.jarFolder() + "/" + jars.get(0).getFileName();
        List<String> start = plan.start().isEmpty() ? List.of("java", "-jar", BuildPlan.WORKSPACE + "/" + jar)
                : plan.start();
        return new BuildPlan(plan.kind(), plan.script(), plan.env(), start, plan.runtimeEnv(), plan.dependencies(),
                List.of(jar), plan.excluded(), null, plan.detail() + " (" + jar + ")");
    }

    private static boolean candidate(String name) {
        return name.endsWith(".jar") && !name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar")
                && !name.endsWith("-plain.jar") && !name.endsWith("-tests.jar") && !name.startsWith("original-");
    }

    private static boolean executable(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Main-Class") != null;
        } catch (IOException notAJar) {
            return false;
        }
    }
}
