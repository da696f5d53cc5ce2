package dev.slipway.cli.changes;

import dev.slipway.cli.CliContext;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Replaces every instance of an app by a fresh one of the same release, new ones first. */
@Command(mixinStandardHelpOptions = true, name = "restart", description = "Replace every instance of an app with a "
        + "fresh one (same image and settings).",
        footer = {"", "New instances start and answer before the old ones go.", "", "Examples:",
                "  slipway apps restart shop"})
public class RestartCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "APP")
    String app;

    @Mixin
    ChangeOptions options;

    RestartCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return options.post(context, app, "/restart", Map.of());
    }
}
