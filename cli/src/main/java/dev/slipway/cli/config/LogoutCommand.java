package dev.slipway.cli.config;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.CliException;
import dev.slipway.cli.api.ApiError;
import dev.slipway.cli.api.SlipwayApi;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Revokes the CLI token on the server, then forgets it. A token the server cannot be told about is
 * kept (it would stay valid for months) unless the user says to forget it anyway.
 */
@Command(mixinStandardHelpOptions = true, name = "logout",
        description = "Revoke the token stored by login and forget the server.")
public class LogoutCommand implements Callable<Integer> {

    private final CliContext context;

    @Option(names = "--forget", description = "remove the config file even if the server cannot be reached to "
            + "revoke the token (it then stays valid until it expires)")
    boolean forget;

    LogoutCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Optional<CliConfig> stored = context.configFile().load();
        if (stored.isEmpty()) {
            context.err().println("Not logged in");
            context.err().flush();
            return 0;
        }
        if (stored.get().hasToken()) {
            try {
                new SlipwayApi(stored.get()).delete(LoginCommand.CLI_TOKENS + "/current");
                context.err().println("Revoked the token on " + stored.get().server());
            } catch (ApiError refused) {
                if (refused.status() != 401 && !forget) {
                    throw refused;
                }
                // revoked or expired already, or the user asked to forget it whatever the server says
            } catch (CliException unreachable) {
                if (!forget) {
                    throw new CliException(unreachable.getMessage() + "; the token was not revoked and is kept: run "
                            + "'slipway logout' again once the server answers, or 'slipway logout --forget'",
                            unreachable.exitCode());
                }
            }
        }
        context.configFile().delete();
        context.err().println("Logged out; removed " + context.configFile().path());
        context.err().flush();
        return 0;
    }
}
