package dev.slipway.cli.tracking;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.CliException;
import dev.slipway.cli.NamespaceOption;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.output.OutputFormat;
import dev.slipway.cli.output.Table;
import dev.slipway.events.Event;
import dev.slipway.events.EventData;
import dev.slipway.events.EventJson;
import dev.slipway.events.kafka.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** A push's events (optionally following it), or the audit trail of an app or namespace. */
@Command(mixinStandardHelpOptions = true, name = "events", description = "Show a push's events, follow them live, or show the audit trail.",
        footer = {"", "Examples:", "  slipway events <push id>             # what happened so far",
                "  slipway events <push id> --follow    # and everything after, until the push ends",
                "  slipway events --app shop --since 2026-11-01T00:00:00Z --type 'dev.slipway.*.failed.v1'"})
public class EventsCommand implements Callable<Integer> {

    private final CliContext context;

    @Parameters(arity = "0..1", paramLabel = "PUSH_ID", description = "a push id; without it, the audit trail")
    String pushId;

    @Option(names = {"-f", "--follow"}, description = "keep following until the push ends")
    boolean follow;

    @Option(names = "--app", description = "audit: only this app's events")
    String app;

    @Option(names = "--since", description = "audit: from this time on (ISO-8601)")
    String since;

    @Option(names = "--type", description = "audit: event type or glob, e.g. dev.slipway.stage.*")
    String type;

    @Mixin
    NamespaceOption namespaceOption;

    @Mixin
    OutputFormat output;

    EventsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        SlipwayApi api = context.api();
        if (pushId != null) {
            if (follow) {
                return PushFollower.follow(context, api, pushId, output.json());
            }
            JsonNode events = api.get("/api/v1/pushes/" + pushId).path("events");
            print(events, decode(events));
            return 0;
        }
        if (follow) {
            throw new CliException("--follow needs a push id: slipway events <push id> --follow", 2);
        }
        StringBuilder query = new StringBuilder("?namespace=").append(SlipwayApi.encode(namespaceOption.resolve(
                context)));
        if (app != null) {
            query.append("&app=").append(SlipwayApi.encode(app));
        }
        if (since != null) {
            query.append("&since=").append(SlipwayApi.encode(since));
        }
        if (type != null) {
            query.append("&type=").append(SlipwayApi.encode(type));
        }
        JsonNode found = api.get("/api/v1/events" + query);
        print(found, decode(found));
        return 0;
    }

    private static List<Event<EventData>> decode(JsonNode events) {
        List<Event<EventData>> decoded = new ArrayList<>();
        for (JsonNode event : events.values()) {
            decoded.add(EventCodec.fromStructuredJson(EventJson.mapper().writeValueAsBytes(event)));
        }
        return decoded;
    }

    private void print(JsonNode json, List<Event<EventData>> events) {
        if (output.json()) {
            output.printJson(context.out(), json);
            return;
        }
        Table table = new Table("TIME", "APP", "PUSH", "EVENT");
        for (Event<EventData> event : events) {
            table.row(event.time(), event.subject(), event.correlationId(), EventLines.of(event).strip());
        }
        table.print(context.out());
    }
}
