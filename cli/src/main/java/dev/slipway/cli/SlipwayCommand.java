package dev.slipway.cli;

import dev.slipway.cli.apps.AppsCommand;
import dev.slipway.cli.apps.RollbackCommand;
import dev.slipway.cli.changes.EnvCommand;
import dev.slipway.cli.changes.RoutesCommand;
import dev.slipway.cli.config.ConfigFile;
import dev.slipway.cli.config.LoginCommand;
import dev.slipway.cli.config.LogoutCommand;
import dev.slipway.cli.deadletters.DeadLettersCommand;
import dev.slipway.cli.logs.LogsCommand;
import dev.slipway.cli.push.PushCommand;
import dev.slipway.cli.subscriptions.SubscriptionsCommand;
import dev.slipway.cli.tracking.EventsCommand;
import dev.slipway.cli.tracking.ReplayCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code slipway} command line. */
@Command(name = "slipway", mixinStandardHelpOptions = true, versionProvider = SlipwayCommand.Version.class,
        description = "Push source or an image and get a running app at a URL.",
        subcommands = {LoginCommand.class, LogoutCommand.class, PushCommand.class, EventsCommand.class,
                ReplayCommand.class, AppsCommand.class, LogsCommand.class, RollbackCommand.class, EnvCommand.class,
                RoutesCommand.class, SubscriptionsCommand.class,
                DeadLettersCommand.class, AutoComplete.GenerateCompletion.class},
        footer = {"", "Every push gets an id at once; follow it, inspect it and replay failed stages by that id.",
                "SLIPWAY_SERVER and SLIPWAY_TOKEN, when set, override the server and token stored by login.",
                "Shell completion: source <(slipway generate-completion)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (a followed push is online)",
                "1:a push failed at a stage, the user declined, the server refused otherwise, or it cut a log "
                        + "stream short",
                "2:usage: wrong flags or arguments, or bad local input",
                "3:auth: not logged in, or the server answered 401 or 403",
                "4:not found: the server answered 404",
                "5:the server cannot be reached"})
public class SlipwayCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(new CliContext(ConfigFile.forUser(System.getenv()), out, err, System.getenv(),
                Terminal.system()), args));
    }

    /** Runs one command line and answers its exit code (see {@link CliException} and the help's list). */
    public static int run(CliContext context, String... args) {
        CommandLine commandLine = new CommandLine(new SlipwayCommand(), new CliFactory(context))
                .setOut(context.out()).setErr(context.err())
                .setExecutionExceptionHandler((error, command, parsed) -> {
                    if (error instanceof CliException failure) {
                        context.err().println("Error: " + failure.getMessage());
                        context.err().flush();
                        return failure.exitCode();
                    }
                    throw error;
                });
        commandLine.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return commandLine.execute(args);
    }

    /** Without a subcommand there is nothing to do: show what there is. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SlipwayCommand.class.getPackage().getImplementationVersion();
            return new String[] {"slipway " + (version == null ? "development build" : version)};
        }
    }
}
