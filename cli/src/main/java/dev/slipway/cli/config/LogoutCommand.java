package dev.slipway.cli.config;

import dev.slipway.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Forgets the server and credentials. */
@Command(mixinStandardHelpOptions = true, name = "logout", description = "Forget the server and credentials stored by login.")
public class LogoutCommand implements Callable<Integer> {

    private final CliContext context;

    LogoutCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        boolean removed = context.configFile().delete();
        context.out().println(removed ? "Logged out; removed " + context.configFile().path() : "Not logged in");
        context.out().flush();
        return 0;
    }
}
