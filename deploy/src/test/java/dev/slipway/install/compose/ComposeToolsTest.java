package dev.slipway.install.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose tools a user runs read docker-compose.yml. Each runs on a copy of the file in a folder of its
 * own, so a user's .env cannot change the outcome, and with commands that start nothing.
 */
class ComposeToolsTest {

    private static final String HASH = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
    /** What scripts/compose-env.sh writes to .env: the file has no defaults for them. */
    private static final Map<String, String> REQUIRED = Map.of("SLIPWAY_ADMIN_PASSWORD_HASH", HASH,
            "SLIPWAY_TOKEN_KEY", "t".repeat(64), "SLIPWAY_SECRETS_KEY", "s".repeat(64),
            "SLIPWAY_S3_SECRET_KEY", "3".repeat(64));

    @TempDir
    Path copy;

    @Test
    void podmanComposeReadsTheFile() throws Exception {
        assumeTrue(onPath("podman-compose"), "podman-compose is not installed (scripts/setup-debian.sh installs it): "
                + "docker-compose.yml was not read by it");
        Result read = podmanCompose(REQUIRED);

        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).doesNotContain("Traceback", "Error");
    }

    @Test
    void podmanComposeRefusesTheFileWithoutItsKeys() throws Exception {
        assumeTrue(onPath("podman-compose"), "podman-compose is not installed (scripts/setup-debian.sh installs it)");
        Result read = podmanCompose(Map.of());

        assertThat(read.exitCode()).isNotZero();
        assertThat(read.output()).contains("run scripts/compose-env.sh");
    }

    @Test
    void dockerComposeReadsTheFile() throws Exception {
        assumeTrue(run(List.of("docker", "compose", "version"), Map.of()).exitCode() == 0,
                "the docker compose plugin is not installed: docker-compose.yml was not read by it");
        copyTheFile();
        Result read = run(List.of("docker", "compose", "-f", copy.resolve("docker-compose.yml").toString(), "config",
                "--quiet"), REQUIRED);

        assertThat(read.exitCode()).as(read.output()).isZero();
    }

    /**
     * podman-compose 1.0.3 (Debian 12) has no {@code config}: {@code ps} parses and interpolates the whole
     * file, then only lists containers. Newer versions check it with {@code config}.
     */
    private Result podmanCompose(Map<String, String> environment) throws Exception {
        copyTheFile();
        boolean hasConfig = run(List.of("podman-compose", "--help"), Map.of()).output().contains("config");
        List<String> command = new ArrayList<>(List.of("podman-compose", "-f", copy.resolve("docker-compose.yml").toString()));
        command.add(hasConfig ? "config" : "ps");
        return run(command, environment);
    }

    private void copyTheFile() throws IOException {
        Path root = ComposeFileTest.ROOT;
        Files.copy(root.resolve("docker-compose.yml"), copy.resolve("docker-compose.yml"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(copy.resolve("deploy/compose"));
        Files.copy(root.resolve("deploy/compose/registries.yaml"), copy.resolve("deploy/compose/registries.yaml"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private Result run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(copy.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SLIPWAY_"));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException notInstalled) {
            return new Result(-1, notInstalled.getMessage());
        }
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 2 minutes");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, program)));
    }

    private record Result(int exitCode, String output) {
    }
}
