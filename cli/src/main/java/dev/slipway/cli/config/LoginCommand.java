package dev.slipway.cli.config;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.CliException;
import dev.slipway.cli.api.SlipwayApi;
import java.io.Console;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks the credentials against the server, then keeps them in the config file (mode 0600). */
@Command(mixinStandardHelpOptions = true, name = "login", description = "Log in to a Slipway server and remember it.",
        footer = {"", "Examples:", "  slipway login https://slipway.example.com --user alice",
                "  slipway login http://127.0.0.1:8080 --user admin --password \"$PASSWORD\" --namespace team-a"})
public class LoginCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "URL", description = "the server, e.g. https://slipway.example.com")
    String url;

    @Option(names = {"-u", "--user"}, description = "user name (asked when not given)")
    String user;

    @Option(names = {"-p", "--password"}, description = "password (asked without echo when not given)")
    String password;

    @Option(names = {"-n", "--namespace"}, description = "namespace commands act in (default: workspace)")
    String namespace;

    LoginCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!url.matches("https?://.+")) {
            throw new CliException("'" + url + "' is not an http(s) URL, e.g. https://slipway.example.com", 2);
        }
        Console console = System.console();
        if (user == null) {
            user = console == null ? null : console.readLine("User: ");
        }
        if (password == null) {
            char[] typed = console == null ? null : console.readPassword("Password: ");
            password = typed == null ? null : new String(typed);
        }
        if (user == null || password == null) {
            throw new CliException("give --user and --password (no terminal to ask on)", 2);
        }
        CliConfig config = new CliConfig(url.replaceAll("/+$", ""), user, password, namespace);
        // a wrong address or password is reported now, not at the first push
        new SlipwayApi(config).get("/api/v1/applications");
        context.configFile().save(config);
        context.out().println("Logged in to " + config.server() + " as " + user + " (namespace " + config.namespace()
                + "); settings in " + context.configFile().path());
        context.out().flush();
        return 0;
    }
}
