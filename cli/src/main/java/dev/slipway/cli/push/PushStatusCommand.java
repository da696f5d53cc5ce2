package dev.slipway.cli.push;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.output.OutputFormat;
import dev.slipway.cli.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** Where a push stands: state, failure, image, revision, URLs and its events. */
@Command(mixinStandardHelpOptions = true, name = "status", description = "Show where a push stands and what happened to it.",
        footer = {"", "Examples:", "  slipway push status 0b6c3e0e-5a4c-4f43-9b8e-1f2d3c4b5a69",
                "  slipway push status <push id> -o json"})
public class PushStatusCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(paramLabel = "PUSH_ID", description = "the id 'slipway push' printed")
    String pushId;

    @Mixin
    OutputFormat output;

    PushStatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        JsonNode push = context.api().get("/api/v1/pushes/" + pushId);
        if (output.json()) {
            output.printJson(context.out(), push);
            return 0;
        }
        JsonNode failure = push.path("failure");
        Table table = new Table("FIELD", "VALUE")
                .row("push", push.path("id").asString())
                .row("app", push.path("app").path("namespace").asString() + "/" + push.path("app").path("name")
                        .asString())
                .row("state", push.path("state").asString())
                .row("image", push.path("image").asString(""))
                .row("revision", push.path("releaseRevision").isNull() ? "" : push.path("releaseRevision").asString())
                .row("urls", String.join(" ", push.path("urls").values().stream().map(JsonNode::asString).toList()))
                .row("started", push.path("startedAt").asString(""))
                .row("finished", push.path("finishedAt").asString(""));
        supersededBy(push).ifPresent(newer -> table.row("superseded by", newer));
        if (failure.isObject()) {
            table.row("failed at", failure.path("stage").asString())
                    .row("reason", failure.path("reason").asString())
                    .row("message", failure.path("message").asString());
        }
        table.print(context.out());
        context.out().println();
        Table events = new Table("TIME", "TYPE", "ID");
        for (JsonNode event : push.path("events").values()) {
            events.row(event.path("time").asString(), event.path("type").asString(), event.path("id").asString());
        }
        events.print(context.out());
        if (failure.isObject()) {
            context.err().println("Replay it with: slipway replay " + pushId);
            context.err().flush();
        }
        if ("queued".equals(push.path("state").asString())) {
            context.err().println("It waits for the app's running push; only the app's newest push waits, an older "
                    + "one is superseded.");
            context.err().flush();
        }
        return 0;
    }

    /** The newer push that took this one's place, named by its push.superseded event. */
    private static java.util.Optional<String> supersededBy(JsonNode push) {
        return push.path("events").values().stream()
                .filter(event -> dev.slipway.events.EventType.PUSH_SUPERSEDED.type().equals(event.path("type").asString()))
                .map(event -> event.path("data").path("supersededBy").asString())
                .findFirst();
    }
}
