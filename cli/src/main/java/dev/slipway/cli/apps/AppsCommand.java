package dev.slipway.cli.apps;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.CliException;
import dev.slipway.cli.NamespaceOption;
import dev.slipway.cli.changes.RestartCommand;
import dev.slipway.cli.changes.ScaleCommand;
import dev.slipway.cli.output.OutputFormat;
import dev.slipway.cli.output.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** The apps of a namespace: list, show one, delete one. */
@Command(mixinStandardHelpOptions = true, name = "apps", description = "List, show, scale, restart and delete apps.",
        subcommands = {AppsCommand.ListApps.class, AppsCommand.ShowApp.class, AppsCommand.DeleteApp.class,
                ScaleCommand.class, RestartCommand.class},
        footer = {"", "Examples:", "  slipway apps list", "  slipway apps show shop -o json",
                "  slipway apps scale shop 3", "  slipway apps restart shop", "  slipway apps delete shop"})
public class AppsCommand {

    static String path(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/applications";
    }

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List the namespace's apps.")
    static class ListApps implements Callable<Integer> {
        private final CliContext context;
        @Mixin
        NamespaceOption namespace;
        @Mixin
        OutputFormat output;

        ListApps(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode apps = context.api().get(path(namespace.resolve(context)));
            if (output.json()) {
                output.printJson(context.out(), apps);
                return 0;
            }
            Table table = new Table("NAME", "STATUS", "INSTANCES", "ROUTES", "STAGE");
            for (JsonNode app : apps.values()) {
                table.row(app.path("meta").path("name").asString(), app.path("status").asString(),
                        app.path("configuration").path("instances").asString(),
                        String.join(" ", app.path("configuration").path("routes").values().stream()
                                .map(JsonNode::asString).toList()), app.path("stage_id").asString());
            }
            table.print(context.out());
            return 0;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "show", description = "Show one app.")
    static class ShowApp implements Callable<Integer> {
        private final CliContext context;
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        NamespaceOption namespace;
        @Mixin
        OutputFormat output;

        ShowApp(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode app = context.api().get(path(namespace.resolve(context)) + "/" + name);
            if (output.json()) {
                output.printJson(context.out(), app);
                return 0;
            }
            JsonNode configuration = app.path("configuration");
            Table table = new Table("FIELD", "VALUE")
                    .row("name", app.path("meta").path("namespace").asString() + "/" + app.path("meta").path("name")
                            .asString())
                    .row("status", app.path("status").asString())
                    .row("message", app.path("statusmessage").asString(""))
                    .row("instances", configuration.path("instances").asString())
                    .row("memory", configuration.has("memory") ? configuration.path("memory").asString() + " MB"
                            : "the platform's default")
                    .row("routes", String.join(" ", configuration.path("routes").values().stream()
                            .map(JsonNode::asString).toList()))
                    .row("environment", String.join(" ", configuration.path("environment").propertyNames()))
                    .row("image", app.path("image_url").asString(""))
                    .row("last push", app.path("stage_id").asString(""));
            table.print(context.out());
            printInstances(app);
            return 0;
        }

        /** The instances as the runtime sees them; a runtime that did not answer says so. */
        private void printInstances(JsonNode app) {
            context.out().println();
            if (app.has("instances_error")) {
                context.out().println("instances: " + app.path("instances_error").asString());
            } else if (app.path("instances").isEmpty()) {
                context.out().println("instances: none running");
            } else {
                Table instances = new Table("INSTANCE", "STATE", "READY", "RESTARTS", "STARTED");
                for (JsonNode instance : app.path("instances").values()) {
                    instances.row(instance.path("name").asString(), instance.path("state").asString(),
                            instance.path("ready").asBoolean() ? "yes" : "no", instance.path("restarts").asInt(),
                            instance.path("startedAt").asString("-"));
                }
                instances.print(context.out());
            }
            context.out().flush();
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "delete", description = "Delete an app: its release, routes and record go.",
            footer = {"", "Asks first on a terminal; scripts and CI jobs must say --yes (without it they are refused, "
                    + "exit code 2).", "", "Examples:", "  slipway apps delete shop", "  slipway apps delete shop --yes"})
    static class DeleteApp implements Callable<Integer> {
        private final CliContext context;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = {"-y", "--yes"}, description = "delete without asking")
        boolean yes;
        @Mixin
        NamespaceOption namespace;

        DeleteApp(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String app = namespace.resolve(context) + "/" + name;
            if (!yes) {
                if (!context.terminal().present()) {
                    throw CliException.usage("not deleting app " + app + " without confirmation, and there is no "
                            + "terminal to ask on: add --yes to delete it");
                }
                String answer = context.terminal().readLine("Delete app " + app + " with its release and routes? "
                        + "[y/N] ");
                if (answer == null || !answer.strip().toLowerCase(java.util.Locale.ROOT).matches("y|yes")) {
                    context.err().println("Not deleted");
                    context.err().flush();
                    return CliException.FAILED;
                }
            }
            context.api().delete(path(namespace.resolve(context)) + "/" + name);
            context.out().println("Deleted app " + namespace.resolve(context) + "/" + name);
            context.out().flush();
            return 0;
        }
    }
}
