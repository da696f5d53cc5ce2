package dev.slipway.staging.build.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.events.ReasonCodes;
import dev.slipway.staging.build.AppDetector;
import dev.slipway.staging.build.AppKind;
import dev.slipway.staging.build.StageFailure;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build plan of each language from its files alone, and what hostile build files get. */
class BuildPlansTest {

    @TempDir
    Path app;

    @Test
    void nodeWithALockFileRunsNpmCiItsBuildScriptAndKeepsProductionDependenciesOnly() throws Exception {
        write("package.json", """
                {"scripts": {"build": "tsc", "start": "node dist/server.js"}, "dependencies": {"ms": "2.1.3"}}""");
        write("package-lock.json", "{}");

        BuildPlan plan = plan(AppKind.NODE);

        assertThat(plan.script()).containsExactly("npm ci --no-audit --no-fund", "npm run build",
                "npm prune --omit=dev --no-audit --no-fund");
        assertThat(plan.start()).containsExactly("/bin/sh", "-c", "node dist/server.js");
        assertThat(plan.runtimeEnv().get("PATH")).startsWith("/workspace/node_modules/.bin:");
        assertThat(plan.dependencies()).containsExactly("node_modules");
        assertThat(plan.env()).containsEntry("npm_config_cache", "/cache/npm");
        assertThat(plan.baseImageKey()).isEqualTo("node");
    }

    @Test
    void nodeWithoutALockFileInstallsAndStartsItsMainElseIndexOrServer() throws Exception {
        write("package.json", "{\"main\": \"lib/../app.js\"}");
        assertThat(plan(AppKind.NODE).script()).first().isEqualTo("npm install --no-audit --no-fund");
        assertThat(plan(AppKind.NODE).start()).containsExactly("node", "/workspace/app.js");

        write("package.json", "{}");
        write("server.js", "");
        assertThat(plan(AppKind.NODE).start()).containsExactly("node", "/workspace/server.js");
        write("index.js", "");
        assertThat(plan(AppKind.NODE).start()).containsExactly("node", "/workspace/index.js");
    }

    @Test
    void nodeWithNothingToStartSaysWhatToAdd() throws Exception {
        write("package.json", "{\"scripts\": {\"test\": \"jest\"}}");

        assertThatThrownBy(() -> plan(AppKind.NODE)).isInstanceOf(StageFailure.class)
                .satisfies(failure -> assertThat(((StageFailure) failure).reason())
                        .isEqualTo(ReasonCodes.BUILDER_NOT_DETECTED))
                .hasMessageContaining("no scripts.start").hasMessageContaining("index.js or server.js")
                .hasMessageContaining("Procfile");
    }

    @Test
    void aMainThatLeavesTheAppIsRefused() throws Exception {
        for (String main : List.of("../../etc/passwd", "/etc/passwd", "lib/../../x.js", "..", "a\u0000b",
                "a\nb", "x".repeat(5000))) {
            write("package.json", "{\"main\": " + json(main) + "}");

            assertThatThrownBy(() -> plan(AppKind.NODE)).as(main).isInstanceOf(StageFailure.class)
                    .hasMessageContaining("\"main\" must be a relative path inside the app");
        }
    }

    @Test
    void absurdPackageJsonFieldsGetAClearFailureNotACrash() throws Exception {
        Map<String, String> hostile = Map.of(
                "{\"scripts\": \"rm -rf /\"}", "\"scripts\" must be an object",
                "{\"scripts\": {\"start\": [\"node\", \"x\"]}}", "scripts.start must be a string",
                "{\"scripts\": {\"start\": {\"$gt\": 1}}}", "scripts.start must be a string",
                "{\"main\": 42}", "\"main\" must be a relative path",
                "[1, 2, 3]", "must hold a JSON object",
                "{\"name\": \"x\",", "not valid JSON",
                "not json at all", "not valid JSON",
                "[".repeat(100_000), "not valid JSON");
        for (Map.Entry<String, String> manifest : hostile.entrySet()) {
            write("package.json", manifest.getKey());

            assertThatThrownBy(() -> plan(AppKind.NODE)).as(manifest.getKey().substring(0, Math.min(40,
                    manifest.getKey().length()))).isInstanceOf(StageFailure.class)
                    .hasMessageContaining(manifest.getValue())
                    .satisfies(failure -> assertThat(failure.getMessage()).hasSizeLessThan(400));
        }
    }

    @Test
    void aHugePackageJsonOrStartScriptIsRefusedWithItsLimit() throws Exception {
        write("package.json", "{\"description\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}");
        assertThatThrownBy(() -> plan(AppKind.NODE)).isInstanceOf(StageFailure.class)
                .hasMessageContaining("package.json is larger than 1024 KB");

        write("package.json", "{\"scripts\": {\"start\": " + json("node " + "x".repeat(20_000)) + "}}");
        assertThatThrownBy(() -> plan(AppKind.NODE)).isInstanceOf(StageFailure.class)
                .hasMessageContaining("scripts.start is longer than 16 KB");
    }

    @Test
    void aStartScriptIsTheUsersOwnCommandAndStaysOneShellArgument() throws Exception {
        write("package.json", "{\"scripts\": {\"start\": \"node a.js; echo $(id) `whoami` && exit 3\"}}");

        assertThat(plan(AppKind.NODE).start()).containsExactly("/bin/sh", "-c",
                "node a.js; echo $(id) `whoami` && exit 3");
        assertThat(plan(AppKind.NODE).script()).noneMatch(line -> line.contains("whoami"));
    }

    @Test
    void theProcfileOverridesEveryLanguagesStart() throws Exception {
        write("package.json", "{\"scripts\": {\"start\": \"node a.js\"}}");
        write("app.py", "");
        write("requirements.txt", "");
        write("pom.xml", "<project/>");
        List<String> web = List.of("/bin/sh", "-c", "exec my-server --port $PORT");

        for (AppKind kind : List.of(AppKind.NODE, AppKind.PYTHON, AppKind.GO, AppKind.MAVEN, AppKind.GRADLE)) {
            assertThat(BuildPlans.of(new AppDetector.DetectedApp(kind, web, ""), app).start()).as(kind.name())
                    .isEqualTo(web);
        }
    }

    @Test
    void pythonInstallsItsRequirementsIntoAFolderOnItsPathAndStartsAppPy() throws Exception {
        write("requirements.txt", "# web\nflask==3.0.0\n");
        write("app.py", "");
        write("main.py", "");

        BuildPlan plan = plan(AppKind.PYTHON);

        assertThat(plan.script()).singleElement().asString()
                .contains("pip install", "--target /workspace/.slipway-build/python", "--cache-dir /cache/pip",
                        "-r requirements.txt");
        assertThat(plan.runtimeEnv()).containsEntry("PYTHONPATH", "/workspace/.slipway-build/python");
        assertThat(plan.dependencies()).containsExactly(".slipway-build/python");
        assertThat(plan.start()).containsExactly("python3", "/workspace/app.py");
    }

    @Test
    void pythonWithCommentOnlyRequirementsNeedsNoBuildAndAPyprojectInstallsTheProject() throws Exception {
        write("requirements.txt", "# nothing\n\n   # still nothing\n");
        write("main.py", "");
        assertThat(plan(AppKind.PYTHON).script()).isEmpty();
        assertThat(plan(AppKind.PYTHON).start()).containsExactly("python3", "/workspace/main.py");

        Files.delete(app.resolve("requirements.txt"));
        write("pyproject.toml", "[project]\nname = \"x\"\n");
        assertThat(plan(AppKind.PYTHON).script()).singleElement().asString().endsWith(" .");
    }

    @Test
    void pythonWithNothingToStartSaysWhatToAdd() throws Exception {
        write("requirements.txt", "");

        assertThatThrownBy(() -> plan(AppKind.PYTHON)).isInstanceOf(StageFailure.class)
                .hasMessageContaining("app.py").hasMessageContaining("Procfile");
    }

    @Test
    void goBuildsOneStaticBinaryAndTheImageHoldsItAlone() throws Exception {
        BuildPlan plan = plan(AppKind.GO);

        assertThat(plan.script()).singleElement().asString().startsWith("go build").contains("-o /workspace/"
                + GoProject.BINARY);
        assertThat(plan.env()).containsEntry("CGO_ENABLED", "0").containsEntry("GOCACHE", "/cache/go/build")
                .containsEntry("GOMODCACHE", "/cache/go/mod");
        assertThat(plan.appPaths()).containsExactly(GoProject.BINARY);
        assertThat(plan.start()).containsExactly("/workspace/" + GoProject.BINARY);
    }

    @Test
    void mavenUsesTheProjectsWrapperWhenItHasOneAndItsCacheForTheRepository() throws Exception {
        write("pom.xml", "<project/>");
        assertThat(plan(AppKind.MAVEN).script()).singleElement().asString().startsWith("mvn -B -DskipTests")
                .contains("-Dmaven.repo.local=/cache/m2/repository").endsWith("package");

        write("mvnw", "#!/bin/sh\n");
        assertThat(plan(AppKind.MAVEN).script()).singleElement().asString().startsWith("sh ./mvnw -B");
        assertThat(plan(AppKind.GRADLE).script()).singleElement().asString()
                .isEqualTo("sh ./gradlew --no-daemon --console=plain build -x test");
        assertThat(plan(AppKind.GRADLE).env()).containsEntry("GRADLE_USER_HOME", "/cache/gradle");
    }

    @Test
    void aJvmBuildRunsTheOneExecutableJarItLeft() throws Exception {
        BuildPlan plan = plan(AppKind.MAVEN);
        Files.createDirectories(app.resolve("target"));
        jar(app.resolve("target/app-1.0.jar"), "example.App");
        jar(app.resolve("target/app-1.0-sources.jar"), "example.App");
        jar(app.resolve("target/original-app-1.0.jar"), "example.App");
        jar(app.resolve("target/lib.jar"), null);

        BuildPlan built = BuildPlans.afterBuild(plan, app);

        assertThat(built.start()).containsExactly("java", "-jar", "/workspace/target/app-1.0.jar");
        assertThat(built.appPaths()).containsExactly("target/app-1.0.jar");
        assertThat(built.baseImageKey()).isEqualTo("maven");
    }

    @Test
    void aJvmBuildThatLeftNoOrSeveralExecutableJarsSaysSo() throws Exception {
        BuildPlan plan = plan(AppKind.GRADLE);
        assertThatThrownBy(() -> BuildPlans.afterBuild(plan, app)).isInstanceOf(StageFailure.class)
                .hasMessageContaining("no executable jar in build/libs/").hasMessageContaining("Main-Class");

        Files.createDirectories(app.resolve("build/libs"));
        jar(app.resolve("build/libs/a.jar"), "A");
        jar(app.resolve("build/libs/b.jar"), "B");
        assertThatThrownBy(() -> BuildPlans.afterBuild(plan, app)).isInstanceOf(StageFailure.class)
                .hasMessageContaining("2 executable jars (a.jar, b.jar)");
    }

    @Test
    void aJarFolderThatIsALinkIsNotFollowed() throws Exception {
        BuildPlan plan = plan(AppKind.MAVEN);
        Path elsewhere = Files.createDirectories(app.resolveSibling(app.getFileName() + "-elsewhere"));
        jar(elsewhere.resolve("stolen.jar"), "Stolen");
        Files.createSymbolicLink(app.resolve("target"), elsewhere);

        assertThatThrownBy(() -> BuildPlans.afterBuild(plan, app)).isInstanceOf(StageFailure.class)
                .hasMessageContaining("no executable jar");
    }

    private BuildPlan plan(AppKind kind) throws Exception {
        return BuildPlans.of(new AppDetector.DetectedApp(kind, List.of(), ""), app);
    }

    private void write(String file, String text) throws Exception {
        Files.writeString(app.resolve(file), text);
    }

    private static String json(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            quoted.append(c < 0x20 || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return quoted.append('"').toString();
    }

    private static void jar(Path file, String mainClass) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }
}
