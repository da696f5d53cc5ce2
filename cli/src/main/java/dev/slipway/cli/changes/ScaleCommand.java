package dev.slipway.cli.changes;

import dev.slipway.cli.CliContext;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Runs an app with another number of instances, as a push of its running image. */
@Command(mixinStandardHelpOptions = true, name = "scale", description = "Run an app with N instances (0 stops it).",
        footer = {"", "A running app gets a push of its current image with the new count; one that runs nothing yet "
                + "keeps the count for its next push.", "", "Examples:", "  slipway apps scale shop 3",
                "  slipway apps scale shop 0 --no-follow"})
public class ScaleCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "N", description = "instances, 0 to the platform's maximum")
    int instances;

    @Mixin
    ChangeOptions options;

    ScaleCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return options.post(context, app, "/scale", Map.of("instances", instances));
    }
}
