package dev.slipway.cli.changes;

import dev.slipway.cli.NamespaceOption;
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
}
