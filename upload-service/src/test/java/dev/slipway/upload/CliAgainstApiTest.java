package dev.slipway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.CliException;
import dev.slipway.cli.SlipwayCommand;
import dev.slipway.cli.Terminal;
import dev.slipway.cli.config.CliConfig;
import dev.slipway.cli.config.ConfigFile;
import dev.slipway.events.EventJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The real CLI against the real API: login keeps a token, -o json is pure JSON, exit codes follow the answer. */
class CliAgainstApiTest extends UploadServiceTest {

    @TempDir
    Path home;

    record Run(int exitCode, String out, String err) {
    }

    private Run cli(Path config, Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCommand.run(new CliContext(new ConfigFile(config), new PrintWriter(out, true),
                new PrintWriter(err, true), environment, Terminal.none()), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run cli(Path config, String... args) {
        return cli(config, Map.of(), args);
    }

    private String server() {
        return "http://127.0.0.1:" + port;
    }

    private Path loggedIn(String user) {
        Path config = home.resolve(user + ".json");
        Run login = cli(config, "login", server(), "--user", user, "--password", PASSWORD);
        assertThat(login.exitCode()).as(login.err()).isZero();
        return config;
    }

    @Test
    void loginKeepsARevocableTokenNeverThePassword() throws Exception {
        Path config = loggedIn("alice");

        String stored = Files.readString(config);
        assertThat(stored).contains("\"token\"", "cli.").doesNotContain(PASSWORD, "password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        String token = new ConfigFile(config).load().orElseThrow().token();
        assertThat(anonymous().bearer(token).get("/api/v1/namespaces/workspace/applications").status()).isEqualTo(200);
        assertThat(cli(config, "apps", "list").exitCode()).isZero();

        Run logout = cli(config, "logout");

        assertThat(logout.exitCode()).isZero();
        assertThat(logout.err()).contains("Revoked the token");
        assertThat(config).doesNotExist();
        assertThat(anonymous().bearer(token).get("/api/v1/namespaces/workspace/applications").status()).isEqualTo(401);
        assertThat(logout.out() + logout.err()).doesNotContain(token);
    }

    @Test
    void aPasswordConfigOfAnOlderCliWorksAndTheNextLoginReplacesIt() throws Exception {
        Path config = home.resolve("old.json");
        new ConfigFile(config).save(new CliConfig(server(), "alice", PASSWORD, "workspace"));

        assertThat(cli(config, "apps", "list").exitCode()).isZero();
        assertThat(cli(config, "login", server(), "--user", "alice", "--password", PASSWORD).exitCode()).isZero();

        assertThat(Files.readString(config)).doesNotContain(PASSWORD, "password").contains("\"token\"");
    }

    @Test
    void aNewLoginRevokesTheTokenItReplaces() {
        Path config = loggedIn("alice");
        String first = new ConfigFile(config).load().orElseThrow().token();

        assertThat(cli(config, "login", server(), "--user", "alice", "--password", PASSWORD).exitCode()).isZero();

        String second = new ConfigFile(config).load().orElseThrow().token();
        assertThat(second).isNotEqualTo(first);
        assertThat(anonymous().bearer(first).get("/api/v1/namespaces/workspace/applications").status()).isEqualTo(401);
        assertThat(anonymous().bearer(second).get("/api/v1/namespaces/workspace/applications").status()).isEqualTo(200);
    }

    @Test
    void theEnvironmentsTokenAndServerNeedNoConfigFile() {
        String token = as("alice").post("/api/v1/auth/cli-tokens", Map.of()).body().path("token").asString();
        Path none = home.resolve("none.json");

        Run run = cli(none, Map.of("SLIPWAY_SERVER", server(), "SLIPWAY_TOKEN", token), "apps", "list", "-o", "json");
        Run revoked = cli(none, Map.of("SLIPWAY_SERVER", server(), "SLIPWAY_TOKEN", token + "x"), "apps", "list");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(EventJson.mapper().readTree(run.out()).isArray()).isTrue();
        assertThat(none).doesNotExist();
        assertThat(revoked.exitCode()).isEqualTo(CliException.AUTH);
        assertThat(revoked.err()).contains("SLIPWAY_TOKEN").doesNotContain(token);
    }

    @Test
    void exitCodesFollowTheServersAnswer() {
        Path alice = loggedIn("alice");
        Path bob = loggedIn("bob");

        Run wrongPassword = cli(home.resolve("x.json"), "login", server(), "--user", "alice", "--password", "nope");
        Run notFound = cli(alice, "apps", "show", "no-such-app-here");
        Run forbidden = cli(bob, "apps", "list", "--namespace", "workspace");

        assertThat(wrongPassword.exitCode()).isEqualTo(CliException.AUTH);
        assertThat(home.resolve("x.json")).doesNotExist();
        assertThat(notFound.exitCode()).isEqualTo(CliException.NOT_FOUND);
        assertThat(forbidden.exitCode()).isEqualTo(CliException.AUTH);
        assertThat(forbidden.err()).contains("no access to namespace workspace");
    }

    @Test
    void everyReadCommandPrintsPureJsonWithOutputJson() {
        Path alice = loggedIn("alice");
        Path admin = loggedIn("admin");
        String app = AppsApiTest.uniqueName("json");
        String apps = "/api/v1/namespaces/workspace/applications";
        as("alice").post(apps, Map.of("name", app));
        String pushId = as("alice").post(apps + "/" + app + "/deployments", Map.of("image", "example/json:1"))
                .body().path("id").asString();
        Run added = cli(alice, "subscriptions", "add", "http://hooks.example.test/json", "--app", app, "-o", "json");
        assertThat(added.exitCode()).as(added.err()).isZero();
        String subscription = EventJson.mapper().readTree(added.out()).path("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> cli(alice, "push", "status", pushId).exitCode() == 0);

        List<List<String>> reads = List.of(
                List.of("apps", "list"), List.of("apps", "show", app), List.of("push", "status", pushId),
                List.of("events", pushId), List.of("events", "--app", app), List.of("subscriptions", "list"),
                List.of("subscriptions", "deliveries", subscription));
        try {
            for (List<String> read : reads) {
                assertPureJson(alice, read);
            }
            assertPureJson(admin, List.of("dead-letters", "list"));
        } finally {
            cli(alice, "subscriptions", "rm", subscription);
        }
    }

    private void assertPureJson(Path config, List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("-o", "json"));
        Run run = cli(config, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(command + ": " + run.err()).isZero();
        JsonNode parsed = EventJson.mapper().readTree(run.out());
        assertThat(parsed.isObject() || parsed.isArray()).as(String.join(" ", command)).isTrue();
    }
}
