package dev.slipway.cli.changes;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.NamespaceOption;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.output.OutputFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** An app's routes: list them, add and remove custom ones (each change a push of the running app). */
@Command(mixinStandardHelpOptions = true, name = "routes", description = "List, add and remove an app's routes.",
        subcommands = {RoutesCommand.ListRoutes.class, RoutesCommand.AddRoute.class, RoutesCommand.RemoveRoute.class},
        footer = {"", "The default route <app>.<system-domain> stays as long as the app exists.", "", "Examples:",
                "  slipway routes list shop", "  slipway routes add shop shop.example.com/api",
                "  slipway routes rm shop shop.example.com/api"})
public class RoutesCommand {

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List an app's routes, the default one first.")
    static class ListRoutes implements Callable<Integer> {
        private final CliContext context;
        @Parameters(paramLabel = "APP")
        String app;
        @Mixin
        NamespaceOption namespace;
        @Mixin
        OutputFormat output;

        ListRoutes(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode routes = context.api().get(ChangeAnswer.appPath(namespace.resolve(context), app) + "/routes");
            if (output.json()) {
                output.printJson(context.out(), routes);
                return 0;
            }
            routes.path("routes").values().forEach(route -> context.out().println(route.asString()));
            context.out().flush();
            return 0;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "add", description = "Route host[/path] to an app too.")
    static class AddRoute implements Callable<Integer> {
        private final CliContext context;
        @Parameters(index = "0", paramLabel = "APP")
        String app;
        @Parameters(index = "1", paramLabel = "ROUTE", description = "host[/path]")
        String route;
        @Mixin
        ChangeOptions options;

        AddRoute(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            return options.post(context, app, "/routes", Map.of("route", route));
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "rm", description = "Stop routing host[/path] to an app.")
    static class RemoveRoute implements Callable<Integer> {
        private final CliContext context;
        @Parameters(index = "0", paramLabel = "APP")
        String app;
        @Parameters(index = "1", paramLabel = "ROUTE", description = "host[/path], as 'routes list' shows it")
        String route;
        @Mixin
        ChangeOptions options;

        RemoveRoute(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            return options.delete(context, app, "/routes?route=" + SlipwayApi.encode(route));
        }
    }
}
