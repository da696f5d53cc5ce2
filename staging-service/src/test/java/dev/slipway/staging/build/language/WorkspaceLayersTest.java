package dev.slipway.staging.build.language;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import dev.slipway.staging.build.AppDetector;
import dev.slipway.staging.build.AppKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built source as image layers: what the build left is untrusted, so links that leave the app
 * never bring a file of this machine into the image.
 */
class WorkspaceLayersTest {

    @TempDir
    Path temp;

    @Test
    void nodeModulesFormTheDependencyLayerAndTheRestTheAppLayer() throws Exception {
        Path app = Files.createDirectories(temp.resolve("app"));
        Files.writeString(app.resolve("package.json"), "{\"main\": \"server.js\"}");
        Files.writeString(app.resolve("server.js"), "");
        Files.createDirectories(app.resolve("node_modules/ms"));
        Files.writeString(app.resolve("node_modules/ms/index.js"), "");

        WorkspaceLayers.Layers layers = layers(app, AppKind.NODE, new CopyOnWriteArrayList<>());

        assertThat(paths(layers.dependencies())).contains("/workspace/node_modules/ms/index.js")
                .noneMatch(path -> path.endsWith("server.js"));
        assertThat(paths(layers.app())).contains("/workspace/server.js", "/workspace/package.json")
                .noneMatch(path -> path.contains("node_modules"));
    }

    @Test
    void linksOutOfTheAppAndToFoldersAreLeftOutAndSaid() throws Exception {
        Path app = Files.createDirectories(temp.resolve("app"));
        Path secret = Files.writeString(temp.resolve("secret.txt"), "host secret");
        Files.writeString(app.resolve("package.json"), "{\"main\": \"server.js\"}");
        Files.createSymbolicLink(app.resolve("leak"), secret);
        Files.createSymbolicLink(app.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(app.resolve("loop"), Path.of("."));
        Files.createSymbolicLink(app.resolve("dangling"), app.resolve("nothing"));
        List<String> log = new CopyOnWriteArrayList<>();

        WorkspaceLayers.Layers layers = layers(app, AppKind.NODE, log);

        assertThat(layers.app().getEntries()).extracting(FileEntry::getSourceFile)
                .noneMatch(source -> source.startsWith(temp.resolve("secret.txt")) || source.startsWith("/etc"));
        assertThat(paths(layers.app())).doesNotContain("/workspace/leak", "/workspace/passwd", "/workspace/loop");
        assertThat(log).anyMatch(line -> line.contains("leak") && line.contains("outside the app"))
                .anyMatch(line -> line.contains("loop") && line.contains("a folder"))
                .anyMatch(line -> line.contains("dangling") && line.contains("a link to nothing"));
    }

    @Test
    void aLinkToAnExecutableInsideTheAppRunsItWhereItLies() throws Exception {
        Path app = Files.createDirectories(temp.resolve("app"));
        Files.writeString(app.resolve("package.json"), "{\"main\": \"server.js\"}");
        Path cli = Files.writeString(Files.createDirectories(app.resolve("node_modules/tool/bin")).resolve("cli.js"),
                "#!/usr/bin/env node\n");
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(app.resolve("node_modules/.bin"));
        Files.createSymbolicLink(app.resolve("node_modules/.bin/tool"), Path.of("../tool/bin/cli.js"));
        Files.writeString(app.resolve("readme.txt"), "read me");
        Files.createSymbolicLink(app.resolve("README"), Path.of("readme.txt"));

        WorkspaceLayers.Layers layers = layers(app, AppKind.NODE, new CopyOnWriteArrayList<>());

        FileEntry tool = entry(layers.dependencies(), "/workspace/node_modules/.bin/tool");
        assertThat(Files.readString(tool.getSourceFile()))
                .isEqualTo("#!/bin/sh\nexec /workspace/'node_modules/tool/bin/cli.js' \"$@\"\n");
        assertThat(tool.getPermissions().toOctalString()).isEqualTo("755");
        assertThat(entry(layers.app(), "/workspace/README").getSourceFile()).isEqualTo(app.resolve("readme.txt")
                .toRealPath());
    }

    @Test
    void aGoImageHoldsOnlyTheBinary() throws Exception {
        Path app = Files.createDirectories(temp.resolve("app"));
        Files.writeString(app.resolve("main.go"), "package main");
        Files.createDirectories(app.resolve(".slipway-build"));
        Files.writeString(app.resolve(GoProject.BINARY), "ELF");

        WorkspaceLayers.Layers layers = layers(app, AppKind.GO, new CopyOnWriteArrayList<>());

        assertThat(layers.dependencies().getEntries()).isEmpty();
        assertThat(layers.nonEmpty()).hasSize(1);
        assertThat(paths(layers.app())).containsExactly("/workspace/" + GoProject.BINARY);
    }

    private WorkspaceLayers.Layers layers(Path app, AppKind kind, List<String> log) throws Exception {
        BuildPlan plan = BuildPlans.of(new AppDetector.DetectedApp(kind, List.of(), ""), app);
        return WorkspaceLayers.of(app, plan, temp.resolve("wrappers"), log::add);
    }

    private static List<String> paths(FileEntriesLayer layer) {
        return layer.getEntries().stream().map(entry -> entry.getExtractionPath().toString()).toList();
    }

    private static FileEntry entry(FileEntriesLayer layer, String path) {
        return layer.getEntries().stream().filter(entry -> entry.getExtractionPath().toString().equals(path))
                .findFirst().orElseThrow(() -> new AssertionError(path + " is not in " + paths(layer)));
    }
}
