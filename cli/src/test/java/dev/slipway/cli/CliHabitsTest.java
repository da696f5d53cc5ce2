package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.cli.config.CliConfig;
import dev.slipway.cli.config.ConfigFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment overrides, confirmation, exit codes: what needs no server, or only an absent one. */
class CliHabitsTest {

    @TempDir
    Path home;

    Path config;
    String nobodyThere;

    @BeforeEach
    void setUp() throws Exception {
        config = home.resolve("config.json");
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyThere = "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void helpListsTheExitCodes() {
        CliRun help = CliRun.of(config, "--help");

        assertThat(help.out()).contains("Exit codes:", "0   done", "2   usage", "3   auth", "4   not found",
                "5   the server cannot be reached", "SLIPWAY_SERVER and SLIPWAY_TOKEN");
    }

    @Test
    void theEnvironmentOverridesTheConfigFile() {
        new ConfigFile(config).save(CliConfig.withToken("http://file.example.test", "alice", "cli.file-token", "team"));

        CliRun run = CliRun.of(config, Map.of("SLIPWAY_SERVER", nobodyThere, "SLIPWAY_TOKEN", "cli.env-token"),
                Terminal.none(), "apps", "list");

        assertThat(run.exitCode()).isEqualTo(CliException.UNREACHABLE);
        assertThat(run.err()).contains("cannot reach the Slipway server at " + nobodyThere)
                .doesNotContain("file.example.test", "cli.env-token", "cli.file-token");
    }

    @Test
    void aServerFromTheEnvironmentAloneUsesTheFilesTokenOnlyForTheServerItWasMadeFor() {
        new ConfigFile(config).save(CliConfig.withToken(nobodyThere + "/", "alice", "cli.file-token", null));

        CliRun run = CliRun.of(config, Map.of("SLIPWAY_SERVER", nobodyThere), Terminal.none(), "apps", "list");

        assertThat(run.exitCode()).isEqualTo(CliException.UNREACHABLE);
        assertThat(run.err()).contains(nobodyThere);

        // another server never gets the file's token: it must be given one of its own
        CliRun elsewhere = CliRun.of(config, Map.of("SLIPWAY_SERVER", "http://other.example.test"), Terminal.none(),
                "apps", "list");
        assertThat(elsewhere.exitCode()).isEqualTo(CliException.AUTH);
        assertThat(elsewhere.err()).doesNotContain("cli.file-token");
        CliRun notAUrl = CliRun.of(config, Map.of("SLIPWAY_SERVER", "file:///etc/passwd"), Terminal.none(),
                "apps", "list");
        assertThat(notAUrl.exitCode()).isEqualTo(CliException.USAGE);
    }

    @Test
    void aTokenWithoutAnyServerIsAUsageError() {
        CliRun run = CliRun.of(config, Map.of("SLIPWAY_TOKEN", "cli.env-token"), Terminal.none(), "apps", "list");

        assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(run.err()).contains("set SLIPWAY_SERVER too").doesNotContain("cli.env-token");
    }

    @Test
    void aServerWithoutCredentialsIsAnAuthError() {
        CliRun run = CliRun.of(config, Map.of("SLIPWAY_SERVER", nobodyThere), Terminal.none(), "apps", "list");

        assertThat(run.exitCode()).isEqualTo(CliException.AUTH);
        assertThat(run.err()).contains("set SLIPWAY_TOKEN or run 'slipway login " + nobodyThere + "'");
    }

    @Test
    void deletingAnAppWithoutATerminalNeedsYes() {
        new ConfigFile(config).save(CliConfig.withToken(nobodyThere, "alice", "cli.token", null));

        CliRun refused = CliRun.of(config, "apps", "delete", "shop");
        CliRun confirmed = CliRun.of(config, "apps", "delete", "shop", "--yes");

        assertThat(refused.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(refused.err()).contains("not deleting app workspace/shop without confirmation", "--yes");
        assertThat(refused.out()).isEmpty();
        // --yes goes on to the server, which is not there
        assertThat(confirmed.exitCode()).isEqualTo(CliException.UNREACHABLE);
    }

    @Test
    void deletingAnAppOnATerminalAsksAndANoKeepsIt() {
        new ConfigFile(config).save(CliConfig.withToken(nobodyThere, "alice", "cli.token", null));
        ScriptedTerminal no = new ScriptedTerminal("n");
        ScriptedTerminal nothing = new ScriptedTerminal();
        ScriptedTerminal yes = new ScriptedTerminal("y");

        CliRun declined = CliRun.of(config, Map.of(), no, "apps", "delete", "shop");
        CliRun unanswered = CliRun.of(config, Map.of(), nothing, "apps", "delete", "shop");
        CliRun accepted = CliRun.of(config, Map.of(), yes, "apps", "delete", "shop");

        assertThat(no.prompts()).singleElement().asString().contains("Delete app workspace/shop", "[y/N]");
        assertThat(declined.exitCode()).isEqualTo(CliException.FAILED);
        assertThat(declined.err()).contains("Not deleted");
        assertThat(unanswered.exitCode()).isEqualTo(CliException.FAILED);
        // a yes goes on to the server, which is not there
        assertThat(accepted.exitCode()).isEqualTo(CliException.UNREACHABLE);
    }

    @Test
    void badLocalInputIsAUsageError() throws Exception {
        new ConfigFile(config).save(CliConfig.withToken(nobodyThere, "alice", "cli.token", null));
        Path app = Files.createDirectory(home.resolve("app"));
        Files.writeString(app.resolve("slipway.yml"), "nmae: typo\n");

        CliRun badManifest = CliRun.of(config, "push", app.toString());
        CliRun missingFolder = CliRun.of(config, "push", home.resolve("absent").toString());
        CliRun badMemory = CliRun.of(config, "push", app.toString(), "--memory", "lots");

        assertThat(badManifest.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(badManifest.err()).contains("unknown key 'nmae'");
        assertThat(missingFolder.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(badMemory.exitCode()).isEqualTo(CliException.USAGE);
    }

    @Test
    void aConfigWithAPasswordFromAnOlderCliStillReads() throws Exception {
        Files.writeString(config, """
                {"server": "%s", "username": "alice", "password": "secret", "namespace": "team"}
                """.formatted(nobodyThere));

        CliConfig read = new ConfigFile(config).load().orElseThrow();

        assertThat(read).isEqualTo(new CliConfig(nobodyThere, "alice", "secret", "team"));
        assertThat(read.hasToken()).isFalse();
        assertThat(read.toString()).doesNotContain("secret");
        assertThat(CliRun.of(config, "apps", "list").exitCode()).isEqualTo(CliException.UNREACHABLE);
    }

    @Test
    void aTokenConfigIsWrittenWithoutAPasswordField() throws Exception {
        ConfigFile file = new ConfigFile(config);
        file.save(CliConfig.withToken(nobodyThere, "alice", "cli.token", null));

        assertThat(Files.readString(config)).contains("\"token\"", "cli.token").doesNotContain("password");
        assertThat(file.load()).contains(CliConfig.withToken(nobodyThere, "alice", "cli.token", "workspace"));
    }

    @Test
    void loginWithoutATerminalNeedsUserAndPassword() {
        CliRun run = CliRun.of(config, "login", nobodyThere, "--user", "alice");

        assertThat(run.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(run.err()).contains("no terminal to ask on");
    }

    @Test
    void loginAsksOnATerminalAndKeepsNothingWhenTheServerIsAway() {
        ScriptedTerminal terminal = new ScriptedTerminal("alice", "secret");

        CliRun run = CliRun.of(config, Map.of(), terminal, "login", nobodyThere);

        assertThat(terminal.prompts()).containsExactly("User: ", "Password: ");
        assertThat(run.exitCode()).isEqualTo(CliException.UNREACHABLE);
        assertThat(config).doesNotExist();
    }

    @Test
    void logoutKeepsATokenItCouldNotRevokeUnlessToldToForget() {
        new ConfigFile(config).save(CliConfig.withToken(nobodyThere, "alice", "cli.token", null));

        CliRun kept = CliRun.of(config, "logout");
        assertThat(kept.exitCode()).isEqualTo(CliException.UNREACHABLE);
        assertThat(kept.err()).contains("the token was not revoked and is kept", "--forget");
        assertThat(config).exists();

        CliRun forgotten = CliRun.of(config, "logout", "--forget");
        assertThat(forgotten.exitCode()).isZero();
        assertThat(config).doesNotExist();
    }
}
