package dev.slipway.cli.subscriptions;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.output.OutputFormat;
import dev.slipway.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** Webhook subscriptions: signed CloudEvents delivered to a URL, in order, with retries. */
@Command(mixinStandardHelpOptions = true, name = "subscriptions", description = "Add, list and remove webhook subscriptions; see their deliveries.",
        subcommands = {SubscriptionsCommand.Add.class, SubscriptionsCommand.ListAll.class,
                SubscriptionsCommand.Remove.class, SubscriptionsCommand.Deliveries.class},
        footer = {"", "Examples:",
                "  slipway subscriptions add https://hooks.example.com/slipway --type 'dev.slipway.*.failed.v1' "
                        + "--secret \"$HOOK_SECRET\"",
                "  slipway subscriptions add https://audit.example.com --from earliest   # prints a new secret once",
                "  slipway subscriptions list", "  slipway subscriptions deliveries <id>",
                "  slipway subscriptions rm <id>"})
public class SubscriptionsCommand {

    static final String PATH = "/api/v1/subscriptions";

    @Command(mixinStandardHelpOptions = true, name = "add", description = "Subscribe a URL to events; each delivery is signed with the secret "
            + "the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC>).")
    static class Add implements Callable<Integer> {
        private final CliContext context;
        @Parameters(paramLabel = "URL")
        String url;
        @Option(names = "--type", description = "event type or glob; repeat for more (default: all)")
        List<String> types;
        @Option(names = {"-n", "--namespace"}, description = "namespace (default: the one chosen at login)")
        String namespace;
        @Option(names = "--app", description = "only this app's events")
        String app;
        @Option(names = "--secret", description = "signing secret, whsec_ and 24 to 64 bytes in base64 (default: "
                + "the server makes one and it is printed once, on standard error)")
        String secret;
        @Option(names = "--from", defaultValue = "now", description = "now (default) or earliest: deliver the "
                + "history first")
        String from;
        @Mixin
        OutputFormat output;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", url);
            if (types != null) {
                body.put("types", types);
            }
            body.put("namespace", namespace != null ? namespace : context.defaultNamespace());
            if (app != null) {
                body.put("app", app);
            }
            if (secret != null) {
                body.put("secret", secret);
            }
            body.put("from", from);
            JsonNode created = context.api().post(PATH, body);
            if (output.json()) {
                output.printJson(context.out(), created);
            } else {
                context.out().println(created.path("id").asString());
                context.out().flush();
                if (created.hasNonNull("secret")) {
                    context.err().println("signing secret (shown only now): " + created.path("secret").asString());
                    context.err().flush();
                }
            }
            return 0;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List the subscriptions you can see.")
    static class ListAll implements Callable<Integer> {
        private final CliContext context;
        @Mixin
        OutputFormat output;

        ListAll(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode subscriptions = context.api().get(PATH);
            if (output.json()) {
                output.printJson(context.out(), subscriptions);
                return 0;
            }
            Table table = new Table("ID", "URL", "TYPES", "NAMESPACE", "APP", "FROM");
            for (JsonNode subscription : subscriptions.values()) {
                table.row(subscription.path("id").asString(), subscription.path("url").asString(),
                        String.join(",", subscription.path("types").values().stream().map(JsonNode::asString)
                                .toList()), subscription.path("namespace").asString(""),
                        subscription.path("app").asString(""), subscription.path("from").asString(""));
            }
            table.print(context.out());
            return 0;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "rm", description = "Remove a subscription; nothing more is delivered to it.")
    static class Remove implements Callable<Integer> {
        private final CliContext context;
        @Parameters(paramLabel = "ID")
        String id;

        Remove(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            context.api().delete(PATH + "/" + id);
            context.out().println("Removed subscription " + id);
            context.out().flush();
            return 0;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "deliveries", description = "Show a subscription's deliveries: attempts, status codes, errors.")
    static class Deliveries implements Callable<Integer> {
        private final CliContext context;
        @Parameters(paramLabel = "ID")
        String id;
        @Mixin
        OutputFormat output;

        Deliveries(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode deliveries = context.api().get(PATH + "/" + id + "/deliveries");
            if (output.json()) {
                output.printJson(context.out(), deliveries);
                return 0;
            }
            Table table = new Table("AT", "EVENT", "TYPE", "ATTEMPTS", "STATUS CODES", "DELIVERED", "LAST ERROR");
            for (JsonNode delivery : deliveries.values()) {
                table.row(delivery.path("at").asString(""), delivery.path("eventId").asString(),
                        delivery.path("type").asString(), delivery.path("attempts").asString(),
                        String.join(",", delivery.path("statusCodes").values().stream().map(JsonNode::asString)
                                .toList()), delivery.path("delivered").asString(),
                        delivery.path("lastError").asString(""));
            }
            table.print(context.out());
            return 0;
        }
    }
}
