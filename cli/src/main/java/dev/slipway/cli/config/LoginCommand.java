package dev.slipway.cli.config;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.CliException;
import dev.slipway.cli.api.ApiError;
import dev.slipway.cli.api.SlipwayApi;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * Exchanges the user's password for a long-lived, revocable CLI token and keeps only the token in the
 * config file (mode 0600). The password is sent once, here, and never written down.
 */
@Command(mixinStandardHelpOptions = true, name = "login", description = "Log in to a Slipway server and remember it "
        + "(a revocable token is kept, never the password).",
        footer = {"", "Examples:", "  slipway login https://slipway.example.com --user alice",
                "  slipway login http://127.0.0.1:8080 --user admin --password \"$PASSWORD\" --namespace team-a",
                "", "CI jobs need no login: set SLIPWAY_SERVER and SLIPWAY_TOKEN (they override the config file)."})
public class LoginCommand implements Callable<Integer> {

    static final String CLI_TOKENS = "/api/v1/auth/cli-tokens";

    private final CliContext context;

    @Parameters(paramLabel = "URL", description = "the server, e.g. https://slipway.example.com")
    String url;

    @Option(names = {"-u", "--user"}, description = "user name (asked when not given)")
    String user;

    @Option(names = {"-p", "--password"}, description = "password (asked without echo when not given); sent once "
            + "to get a token, never stored")
    String password;

    @Option(names = {"-n", "--namespace"}, description = "namespace commands act in (default: workspace)")
    String namespace;

    LoginCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!url.matches("https?://.+")) {
            throw CliException.usage("'" + url + "' is not an http(s) URL, e.g. https://slipway.example.com");
        }
        if (user == null) {
            user = context.terminal().readLine("User: ");
        }
        if (password == null) {
            char[] typed = context.terminal().readPassword("Password: ");
            password = typed == null ? null : new String(typed);
        }
        if (user == null || password == null) {
            throw CliException.usage("give --user and --password (no terminal to ask on)");
        }
        String server = url.replaceAll("/+$", "");
        Optional<CliConfig> previous = context.configFile().load();
        JsonNode issued;
        try {
            // a wrong address or password is reported now, not at the first push
            issued = new SlipwayApi(new CliConfig(server, user, password, namespace)).post(CLI_TOKENS, java.util.Map.of());
        } catch (ApiError error) {
            if (error.status() == 404 || error.status() == 405) {
                throw new CliException("the server at " + server + " issues no CLI tokens (it is older than this "
                        + "CLI); upgrade it, or use a CLI of its version", CliException.FAILED);
            }
            throw error;
        }
        CliConfig config = CliConfig.withToken(server, issued.path("username").asString(user),
                issued.path("token").asString(), namespace != null ? namespace
                        : previous.filter(old -> old.server().equals(server)).map(CliConfig::namespace).orElse(null));
        context.configFile().save(config);
        previous.filter(CliConfig::hasToken).ifPresent(this::revokeQuietly);
        context.out().println("Logged in to " + config.server() + " as " + config.username() + " (namespace "
                + config.namespace() + "); token valid until " + issued.path("expiresAt").asString("?")
                + ", settings in " + context.configFile().path());
        context.out().flush();
        return 0;
    }

    /** The token this login replaces is of no more use; if its server cannot be reached, it simply expires. */
    private void revokeQuietly(CliConfig replaced) {
        try {
            new SlipwayApi(replaced).delete(CLI_TOKENS + "/current");
        } catch (CliException ignored) {
            context.err().println("Note: the previous token (for " + replaced.server() + ") could not be revoked: "
                    + ignored.getMessage());
            context.err().flush();
        }
    }
}
