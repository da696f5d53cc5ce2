package dev.slipway.cli;

import picocli.CommandLine.Option;

/** {@code -n}: the namespace to act in; the one chosen at login when not given. */
public class NamespaceOption {

    @Option(names = {"-n", "--namespace"}, description = "namespace (default: the one chosen at login, else workspace)")
    String namespace;

    public String resolve(CliContext context) {
        return namespace != null ? namespace : context.defaultNamespace();
    }
}
