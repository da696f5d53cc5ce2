package dev.slipway.staging.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.ReasonCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local builder makes of a source's top: each language, the order among them, the Procfile's say. */
class AppDetectorTest {

    @TempDir
    Path app;

    private final AppDetector detector = new AppDetector();

    @Test
    void eachLanguageIsToldByItsBuildFile() throws Exception {
        assertThat(kindWith("package.json")).isEqualTo(AppKind.NODE);
        assertThat(kindWith("requirements.txt")).isEqualTo(AppKind.PYTHON);
        assertThat(kindWith("pyproject.toml")).isEqualTo(AppKind.PYTHON);
        assertThat(kindWith("go.mod")).isEqualTo(AppKind.GO);
        assertThat(kindWith("pom.xml")).isEqualTo(AppKind.MAVEN);
        assertThat(kindWith("gradlew", "build.gradle")).isEqualTo(AppKind.GRADLE);
        assertThat(kindWith("gradlew", "build.gradle.kts")).isEqualTo(AppKind.GRADLE);
    }

    @Test
    void gradleWithoutItsWrapperIsNotBuilt() throws Exception {
        Files.writeString(app.resolve("build.gradle"), "");

        assertThatThrownBy(() -> detector.detect(app)).isInstanceOf(StageFailure.class)
                .hasMessageContaining("gradlew with build.gradle");
    }

    @Test
    void aLanguageProjectWinsOverABareIndexHtmlAndSaysWhatElseItSaw() throws Exception {
        Files.writeString(app.resolve("index.html"), "<h1>built site</h1>");
        Files.writeString(app.resolve("package.json"), "{}");
        Files.writeString(app.resolve("requirements.txt"), "");

        AppDetector.DetectedApp detected = detector.detect(app);

        assertThat(detected.kind()).isEqualTo(AppKind.NODE);
        assertThat(detected.languageBuild()).isTrue();
        assertThat(detected.command()).isEmpty();
        assertThat(detected.detail()).contains("also found requirements.txt or pyproject.toml");
    }

    @Test
    void aProcfileWebLineOverridesTheLanguagesStartCommand() throws Exception {
        Files.writeString(app.resolve("go.mod"), "module x\n\ngo 1.19\n");
        Files.writeString(app.resolve("Procfile"), "worker: ./jobs\nweb: ./.slipway-build/app --port $PORT\n");

        AppDetector.DetectedApp detected = detector.detect(app);

        assertThat(detected.kind()).isEqualTo(AppKind.GO);
        assertThat(detected.command()).containsExactly("/bin/sh", "-c", "./.slipway-build/app --port $PORT");
    }

    @Test
    void aProcfileAloneKeepsTodaysBehaviour() throws Exception {
        Files.writeString(app.resolve("Procfile"), "web: exec busybox httpd -f -p \"$PORT\"\n");
        Files.writeString(app.resolve("index.html"), "x");

        AppDetector.DetectedApp detected = detector.detect(app);

        assertThat(detected.kind()).isEqualTo(AppKind.PROCFILE);
        assertThat(detected.languageBuild()).isFalse();
        assertThat(detected.command()).containsExactly("/bin/sh", "-c", "exec busybox httpd -f -p \"$PORT\"");
    }

    @Test
    void aHugeProcfileIsReadOnlyAsFarAsItsHead() throws Exception {
        Path procfile = app.resolve("Procfile");
        try (var out = Files.newBufferedWriter(procfile)) {
            for (int i = 0; i < 200_000; i++) {
                out.write("# padding line that goes on and on\n");
            }
            out.write("web: never-read\n");
        }
        Files.writeString(app.resolve("index.html"), "x");

        assertThat(detector.detect(app).kind()).as("the web line past 64 KB is not seen").isEqualTo(AppKind.STATIC);
    }

    @Test
    void aFolderNamedLikeABuildFileIsNoBuildFile() throws Exception {
        Files.createDirectories(app.resolve("package.json"));
        Files.writeString(app.resolve("index.html"), "x");

        assertThat(detector.detect(app).kind()).isEqualTo(AppKind.STATIC);
    }

    @Test
    void whenNothingFitsTheFailureListsEverythingLookedForAndTheFix() throws Exception {
        Files.writeString(app.resolve("README.md"), "nothing to run");

        assertThatThrownBy(() -> detector.detect(app)).isInstanceOf(StageFailure.class)
                .satisfies(failure -> assertThat(((StageFailure) failure).reason())
                        .isEqualTo(ReasonCodes.BUILDER_NOT_DETECTED))
                .hasMessageContaining("pom.xml").hasMessageContaining("go.mod").hasMessageContaining("package.json")
                .hasMessageContaining("requirements.txt or pyproject.toml").hasMessageContaining("gradlew")
                .hasMessageContaining("Procfile").hasMessageContaining(".jar").hasMessageContaining("index.html")
                .hasMessageContaining("add the one that fits your app");
    }

    private AppKind kindWith(String... files) throws Exception {
        Path folder = Files.createTempDirectory(app, "project");
        for (String file : files) {
            Files.writeString(folder.resolve(file), "");
        }
        return detector.detect(folder).kind();
    }

}
