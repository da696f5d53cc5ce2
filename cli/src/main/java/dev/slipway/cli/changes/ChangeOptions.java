package dev.slipway.cli.changes;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.NamespaceOption;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.output.OutputFormat;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What every change command takes: namespace, output, and whether to follow the push it starts. */
public class ChangeOptions {

    @Mixin
    NamespaceOption namespace;

    @Mixin
    OutputFormat output;

    @Option(names = "--no-follow", description = "return once the change's push is on its way")
    boolean noFollow;

    /** Posts {@code body} to the app's {@code path} (e.g. {@code /scale}) and answers as {@link ChangeAnswer} does. */
    int post(CliContext context, String app, String path, Object body) {
        SlipwayApi api = context.api();
        return ChangeAnswer.handle(context, api, api.post(appPath(context, app) + path, body), noFollow, output.json());
    }

    /** Deletes the app's {@code pathAndQuery} and answers as {@link ChangeAnswer} does. */
    int delete(CliContext context, String app, String pathAndQuery) {
        SlipwayApi api = context.api();
        return ChangeAnswer.handle(context, api, api.delete(appPath(context, app) + pathAndQuery), noFollow,
                output.json());
    }

    private String appPath(CliContext context, String app) {
        return ChangeAnswer.appPath(namespace.resolve(context), app);
    }
}
