package dev.slipway.cli.apps;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.NamespaceOption;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.output.OutputFormat;
import dev.slipway.cli.tracking.PushFollower;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs an earlier release of an app again, as a push of its own. */
@Command(mixinStandardHelpOptions = true, name = "rollback", description = "Run an app's previous release (or a named revision) again.",
        footer = {"", "Examples:", "  slipway rollback shop", "  slipway rollback shop --revision 3"})
public class RollbackCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "APP")
    String app;

    @Option(names = "--revision", description = "release revision to run (default: the one before the current)")
    Integer revision;

    @Option(names = "--no-follow", description = "return once the rollback is on its way")
    boolean noFollow;

    @Mixin
    NamespaceOption namespace;

    /** json: the push id as {"pushId"}, then the followed events as CloudEvents JSON lines. */
    @Mixin
    OutputFormat output;

    RollbackCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        SlipwayApi api = context.api();
        Map<String, Object> body = new HashMap<>();
        if (revision != null) {
            body.put("revision", revision);
        }
        String pushId = api.post(AppsCommand.path(namespace.resolve(context)) + "/" + app + "/rollback", body)
                .path("id").asString();
        PushFollower.started(context, pushId, output.json());
        return noFollow ? 0 : PushFollower.follow(context, api, pushId, output.json());
    }
}
