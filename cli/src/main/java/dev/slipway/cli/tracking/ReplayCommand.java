package dev.slipway.cli.tracking;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.output.OutputFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** Runs a push's failed stage (or a named one) again from its recorded input, then follows the push. */
@Command(mixinStandardHelpOptions = true, name = "replay", description = "Run a push's failed stage again from its recorded input, and follow it.",
        footer = {"", "Examples:", "  slipway replay <push id>                       # the stage that failed",
                "  slipway replay <push id> --stage staging --builder-image example/builder:2",
                "  slipway replay <push id> --stage routing --no-follow"})
public class ReplayCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "PUSH_ID")
    String pushId;

    @Option(names = "--stage", description = "staging, deploy or routing (needed when the push did not fail)")
    String stage;

    @Option(names = "--builder-image", description = "stage with this builder image instead")
    String builderImage;

    @Option(names = "--no-follow", description = "return once the replay is on its way")
    boolean noFollow;

    @Mixin
    OutputFormat output;

    ReplayCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        SlipwayApi api = context.api();
        Map<String, Object> body = new LinkedHashMap<>();
        if (stage != null) {
            body.put("stage", stage);
        }
        if (builderImage != null) {
            body.put("builderImage", builderImage);
        }
        JsonNode replayed = api.post("/api/v1/pushes/" + pushId + "/replay", body);
        context.err().println("Replaying stage " + replayed.path("stage").asString() + " of push " + pushId
                + " (event " + replayed.path("id").asString() + ")");
        context.err().flush();
        return noFollow ? 0 : PushFollower.follow(context, api, pushId, output.json());
    }
}
