package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.cli.config.CliConfig;
import dev.slipway.cli.config.ConfigFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlipwayCommandTest {

    @TempDir
    Path home;

    @Test
    void helpListsEveryCommandAndEachCommandHasExamples() {
        CliRun help = CliRun.of(home.resolve("config.json"), "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: slipway", "login", "push", "events", "replay", "apps", "rollback",
                "subscriptions", "dead-letters", "generate-completion", "env", "routes");
        for (String[] command : new String[][] {{"push", "--help"}, {"push", "status", "--help"},
                {"events", "--help"}, {"replay", "--help"}, {"apps", "--help"}, {"rollback", "--help"},
                {"subscriptions", "--help"}, {"login", "--help"}, {"dead-letters", "--help"},
                {"dead-letters", "list", "--help"}, {"dead-letters", "redrive", "--help"}, {"apps", "scale", "--help"},
                {"apps", "restart", "--help"}, {"env", "set", "--help"}, {"routes", "rm", "--help"}}) {
            CliRun run = CliRun.of(home.resolve("config.json"), command);
            assertThat(run.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(run.out()).as(String.join(" ", command)).contains("Usage: slipway");
        }
        assertThat(CliRun.of(home.resolve("config.json"), "push", "--help").out()).contains("Examples:", "--route",
                "--container-image-url", "--no-follow", ".slipwayignore");
    }

    @Test
    void aRedriveNamesEitherIdsOrAllAndAService() {
        CliRun both = CliRun.of(home.resolve("config.json"), "dead-letters", "redrive", "--service", "staging-service",
                "--id", "0-1", "--all");
        CliRun neither = CliRun.of(home.resolve("config.json"), "dead-letters", "redrive", "--service",
                "staging-service");
        CliRun noService = CliRun.of(home.resolve("config.json"), "dead-letters", "redrive", "--all");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required argument", "--id", "--all");
        assertThat(noService.exitCode()).isEqualTo(2);
        assertThat(noService.err()).contains("--service");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun run = CliRun.of(home.resolve("config.json"), "--nope");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--nope'", "Usage: slipway");
    }

    @Test
    void withoutLoginCommandsSayWhatToDo() {
        CliRun run = CliRun.of(home.resolve("config.json"), "apps", "list");

        assertThat(run.exitCode()).isEqualTo(CliException.AUTH);
        assertThat(run.err()).contains("not logged in", "slipway login <url>", "SLIPWAY_TOKEN");
    }

    @Test
    void anUnreachableServerIsNamedWithANextStep() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRun login = CliRun.of(home.resolve("config.json"), "login", "http://127.0.0.1:" + port, "--user", "a",
                "--password", "b");

        assertThat(login.exitCode()).isEqualTo(CliException.UNREACHABLE);
        assertThat(login.err()).contains("cannot reach the Slipway server at http://127.0.0.1:" + port,
                "is it running?");
        assertThat(home.resolve("config.json")).doesNotExist();
    }

    @Test
    void theConfigFileIsReadableByItsOwnerOnly() throws Exception {
        ConfigFile file = new ConfigFile(home.resolve("slipway").resolve("config.json"));
        file.save(new CliConfig("http://example.test", "alice", "secret", null));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(file.load()).contains(new CliConfig("http://example.test", "alice", "secret", "workspace"));
        assertThat(CliRun.of(file.path(), "logout").err()).contains("Logged out");
        assertThat(file.path()).doesNotExist();
    }

    @Test
    void completionIsGenerated() {
        CliRun run = CliRun.of(home.resolve("config.json"), "generate-completion");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete", "slipway");
    }
}
