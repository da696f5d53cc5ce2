package dev.slipway.cli.deadletters;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.output.OutputFormat;
import dev.slipway.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** What the services gave up on, and sending it back once the cause is fixed (admins). */
@Command(mixinStandardHelpOptions = true, name = "dead-letters",
        description = "List the records services gave up on and send them back to the event log (admins).",
        subcommands = {DeadLettersCommand.ListAll.class, DeadLettersCommand.Redrive.class},
        footer = {"", "Examples:", "  slipway dead-letters list", "  slipway dead-letters list --service staging-service -o json",
                "  slipway dead-letters redrive --service staging-service --id 0-42 --id 2-7",
                "  slipway dead-letters redrive --service deploy-service --all"})
public class DeadLettersCommand {

    static final String PATH = "/api/v1/dead-letters";

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List dead letters: service, id, event, "
            + "app, why, and whether they were redriven.")
    static class ListAll implements Callable<Integer> {
        private final CliContext context;
        @Option(names = "--service", description = "only this service's (e.g. staging-service)")
        String service;
        @Mixin
        OutputFormat output;

        ListAll(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode letters = context.api().get(PATH + (service == null ? "" : "?service="
                    + SlipwayApi.encode(service)));
            if (output.json()) {
                output.printJson(context.out(), letters);
                return 0;
            }
            Table table = new Table("SERVICE", "ID", "TIME", "TYPE", "APP", "EVENT", "REDRIVEN", "REASON");
            for (JsonNode letter : letters.values()) {
                JsonNode redriven = letter.path("redriven");
                table.row(letter.path("service").asString(), letter.path("id").asString(),
                        letter.path("time").asString(""), letter.path("type").asString(""),
                        letter.path("app").asString(""), letter.path("eventId").asString(""),
                        redriven.isMissingNode() ? (letter.path("redrivable").asBoolean() ? "" : "not an event")
                                : redriven.path("at").asString() + " by " + redriven.path("by").asString(),
                        letter.path("reason").asString(""));
            }
            table.print(context.out());
            return 0;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "redrive", description = "Send dead letters back to the event "
            + "log as they were (same event id), each at most once; their stage runs them again.")
    static class Redrive implements Callable<Integer> {
        private final CliContext context;
        @Option(names = "--service", required = true, description = "the service that gave up (e.g. staging-service)")
        String service;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;
        @Mixin
        OutputFormat output;

        static class Which {
            @Option(names = "--id", description = "a dead letter's id (<partition>-<offset>, from list); repeat for more")
            List<String> ids;
            @Option(names = "--all", description = "every dead letter of the service you may redrive")
            boolean all;
        }

        Redrive(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("service", service);
            if (which.all) {
                body.put("all", true);
            } else {
                body.put("ids", which.ids);
            }
            JsonNode outcome = context.api().post(PATH + "/redrive", body);
            if (output.json()) {
                output.printJson(context.out(), outcome);
                return 0;
            }
            for (JsonNode id : outcome.path("redriven").values()) {
                context.out().println("Redriven " + service + " " + id.asString());
            }
            outcome.path("skipped").properties().forEach(skipped -> context.out().println("Skipped "
                    + service + " " + skipped.getKey() + ": " + skipped.getValue().asString()));
            context.out().flush();
            return 0;
        }
    }
}
