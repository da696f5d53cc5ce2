package dev.slipway.cli.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.cli.CliException;
import dev.slipway.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** slipway push's build settings: from slipway.yml and flags, checked before anything is sent. */
class BuildRequestTest {

    @TempDir
    Path folder;

    private static final Map<String, String> SHELL = Map.of("NPM_TOKEN", "from-the-shell");

    private BuildRequest request(Map<String, String> manifest, List<String> flags, String dockerfile) {
        return BuildRequest.of(manifest, flags, SHELL::get, false, dockerfile, folder);
    }

    @Test
    void flagsWinOverTheManifestAndANameAloneTakesTheShellsValue() {
        BuildRequest build = request(Map.of("NODE_ENV", "development", "KEEP", "1"),
                List.of("NODE_ENV=production", "NPM_TOKEN", "EQ=a=b"), null);

        assertThat(build.env()).containsExactlyInAnyOrderEntriesOf(Map.of("NODE_ENV", "production", "KEEP", "1",
                "NPM_TOKEN", "from-the-shell", "EQ", "a=b"));
        Map<String, Object> stage = new LinkedHashMap<>();
        build.addTo(stage);
        assertThat(stage).containsOnlyKeys("build_env");
        assertThat(build.toString()).doesNotContain("from-the-shell");
    }

    @Test
    void aNameAloneThatTheShellLacksIsAnError() {
        assertThatThrownBy(() -> request(null, List.of("UNSET_HERE"), null)).isInstanceOf(CliException.class)
                .hasMessageContaining("UNSET_HERE is not set in this shell");
    }

    @Test
    void hostileSettingsAreRefusedWithThePlatformsRules() throws Exception {
        List<String> many = new ArrayList<>();
        IntStream.range(0, 2000).forEach(i -> many.add("V" + i + "=x"));

        assertThatThrownBy(() -> request(null, many, null)).hasMessageContaining("at most 64");
        assertThatThrownBy(() -> request(null, List.of("BIG=" + "x".repeat(1 << 20)), null))
                .hasMessageContaining("at most 32768");
        assertThatThrownBy(() -> request(Map.of("A=B", "x"), List.of(), null)).hasMessageContaining("'A=B'");
        assertThatThrownBy(() -> request(null, List.of("=x"), null)).hasMessageContaining("build env name");
        assertThatThrownBy(() -> request(Map.of("PEM", "-----BEGIN\nsecret-line"), List.of(), null))
                .hasMessageContaining("one line").satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-line"));
        assertThatThrownBy(() -> request(null, List.of("NUL=a\0b"), null)).hasMessageContaining("NUL characters");
        assertThatThrownBy(() -> request(null, List.of(), "../Dockerfile")).hasMessageContaining("relative path");
        assertThatThrownBy(() -> request(null, List.of(), "/etc/passwd")).hasMessageContaining("relative path");
        assertThatThrownBy(() -> request(null, List.of(), "Dockerfile")).hasMessageContaining("is not a file");
    }

    @Test
    void aDockerfileIsNamedRelativeToTheFolderAsTheServerTakesIt() throws Exception {
        Files.createDirectories(folder.resolve("docker"));
        Files.writeString(folder.resolve("docker/Dockerfile.prod"), "FROM scratch\n");

        assertThat(request(null, List.of(), "./docker/Dockerfile.prod").dockerfile()).isEqualTo("docker/Dockerfile.prod");
        assertThat(request(null, List.of(), folder.resolve("docker/Dockerfile.prod").toString()).dockerfile())
                .isEqualTo("docker/Dockerfile.prod");
        assertThat(BuildRequest.of(null, null, SHELL::get, true, "any/Dockerfile", null).dockerfile())
                .as("an archive's Dockerfile is checked by the server").isEqualTo("any/Dockerfile");
    }

    @Test
    void theManifestTakesBuildEnvUnderEitherSpellingAndTheDockerfile() throws Exception {
        Files.writeString(folder.resolve("a.yml"), "build_env: {NODE_ENV: production, WORKERS: 4}\n"
                + "dockerfile: docker/Dockerfile\n");
        Files.writeString(folder.resolve("b.yml"), "build-env:\n  NODE_ENV: test\n");
        Files.writeString(folder.resolve("both.yml"), "build-env: {A: 1}\nbuild_env: {B: 2}\n");
        Files.writeString(folder.resolve("list.yml"), "build_env: [A=1]\n");

        Manifest a = Manifest.read(folder.resolve("a.yml"));
        assertThat(a.buildEnv()).containsExactly(Map.entry("NODE_ENV", "production"), Map.entry("WORKERS", "4"));
        assertThat(a.dockerfile()).isEqualTo("docker/Dockerfile");
        assertThat(Manifest.read(folder.resolve("b.yml")).buildEnv()).containsExactly(Map.entry("NODE_ENV", "test"));
        assertThatThrownBy(() -> Manifest.read(folder.resolve("both.yml"))).hasMessageContaining("keep one");
        assertThatThrownBy(() -> Manifest.read(folder.resolve("list.yml"))).hasMessageContaining("must be a mapping");
    }

    @Test
    void pushRefusesBadBuildSettingsBeforeAskingForALogin() throws Exception {
        CliRun run = CliRun.of(folder.resolve("config.json"), "push", folder.toString(), "--build-env", "1X=y");
        CliRun image = CliRun.of(folder.resolve("config.json"), "push", "--container-image-url", "nginx:1",
                "--no-cache");

        assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(run.err()).contains("build env name '1X' is not valid").doesNotContain("not logged in");
        assertThat(image.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(image.err()).contains("runs as is");
    }

    @Test
    void pushHelpShowsTheBuildFlags() {
        assertThat(CliRun.of(folder.resolve("config.json"), "push", "--help").out()).contains("--build-env",
                "--no-cache", "--dockerfile", "build_env");
    }
}
