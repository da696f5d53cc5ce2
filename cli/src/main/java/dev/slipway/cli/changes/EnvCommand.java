package dev.slipway.cli.changes;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.CliException;
import dev.slipway.cli.NamespaceOption;
import dev.slipway.cli.output.OutputFormat;
import dev.slipway.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** An app's env vars: list the names, set and unset them (each change a push of the running app). */
@Command(mixinStandardHelpOptions = true, name = "env", description = "List, set and unset an app's env vars.",
        subcommands = {EnvCommand.ListEnv.class, EnvCommand.SetEnv.class, EnvCommand.UnsetEnv.class},
        footer = {"", "Values are never listed; 'slipway apps show -o json' shows them to whoever may see the app.",
                "", "Examples:", "  slipway env list shop", "  slipway env set shop MODE=prod GREETING='hello there'",
                "  slipway env unset shop MODE"})
public class EnvCommand {

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List an app's env var names.")
    static class ListEnv implements Callable<Integer> {
        private final CliContext context;
        @Parameters(paramLabel = "APP")
        String app;
        @Mixin
        NamespaceOption namespace;
        @Mixin
        OutputFormat output;

        ListEnv(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            JsonNode env = context.api().get(ChangeAnswer.appPath(namespace.resolve(context), app) + "/env");
            if (output.json()) {
                output.printJson(context.out(), env);
                return 0;
            }
            Table table = new Table("NAME", "VALUE");
            env.path("environment").properties().forEach(entry -> table.row(entry.getKey(),
                    entry.getValue().asString()));
            table.print(context.out());
            return 0;
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "set", description = "Set env vars of an app: a new "
            + "configuration, pushed to the running app.")
    static class SetEnv implements Callable<Integer> {
        private final CliContext context;
        @Parameters(index = "0", paramLabel = "APP")
        String app;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME=VALUE")
        List<String> assignments;
        @Mixin
        ChangeOptions options;

        SetEnv(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Map<String, String> set = new LinkedHashMap<>();
            for (String assignment : assignments) {
                int equals = assignment.indexOf('=');
                if (equals <= 0) {
                    throw CliException.usage("'" + assignment.substring(0, Math.min(assignment.length(), 64))
                            + "' is not NAME=VALUE");
                }
                set.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
            return options.post(context, app, "/env", Map.of("set", set));
        }
    }

    @Command(mixinStandardHelpOptions = true, name = "unset", description = "Remove env vars from an app, pushed to "
            + "the running app.")
    static class UnsetEnv implements Callable<Integer> {
        private final CliContext context;
        @Parameters(index = "0", paramLabel = "APP")
        String app;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME")
        List<String> names;
        @Mixin
        ChangeOptions options;

        UnsetEnv(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            return options.post(context, app, "/env", Map.of("unset", names));
        }
    }
}
