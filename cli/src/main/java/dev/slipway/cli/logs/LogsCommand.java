package dev.slipway.cli.logs;

import dev.slipway.cli.CliContext;
import dev.slipway.cli.CliException;
import dev.slipway.cli.NamespaceOption;
import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.output.OutputFormat;
import dev.slipway.events.EventJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** An app's logs: what its instances printed, or the build log of its last push; optionally followed. */
@Command(mixinStandardHelpOptions = true, name = "logs", description = "Show an app's logs, or its last build's.",
        footer = {"", "Each line is led by the instance that printed it (for a build log: the staging step).",
                "Lines are cut at the server's limit and terminal escapes are removed.", "",
                "A log stream ends when every line asked for was sent (exit code 0); the server also ends it",
                "early, and then says why on stderr and the exit code is 1: a read past slipway.logs.read-timeout",
                "(2m), a follow at slipway.logs.follow-timeout (1h), a follow whose instances all stopped or",
                "were replaced by a deploy, or a server that is stopping. Follow again to go on.", "",
                "Examples:", "  slipway logs shop                  # the last lines of every instance",
                "  slipway logs shop --follow --since 10m",
                "  slipway logs shop --staging --follow   # the build of the last push, until it ends",
                "  slipway logs shop -o json           # one JSON object per line"})
public class LogsCommand implements Callable<Integer> {

    /** The {@code end} event's reason for a stream that sent every line asked for; any other is a cut. */
    private static final String COMPLETE = "complete";

    private final CliContext context;

    @Parameters(paramLabel = "APP")
    String app;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines until interrupted, the instances "
            + "stop or are replaced, or the server's follow limit (1h by default) is reached")
    boolean follow;

    @Option(names = "--staging", description = "the build log of the app's last push instead")
    boolean staging;

    @Option(names = "--since", description = "only lines since: a duration (30s, 10m, 2h) or an RFC 3339 time")
    String since;

    @Mixin
    NamespaceOption namespace;

    @Mixin
    OutputFormat output;

    public LogsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        StringBuilder path = new StringBuilder("/api/v1/namespaces/").append(SlipwayApi.encode(namespace.resolve(
                context))).append("/applications/").append(SlipwayApi.encode(app)).append("/logs?follow=")
                .append(follow).append("&staging=").append(staging);
        if (since != null) {
            path.append("&since=").append(SlipwayApi.encode(since));
        }
        PrintWriter out = context.out();
        JsonNode[] end = {null};
        context.api().stream(path.toString(), "'slipway logs " + app + (follow ? " --follow" : "") + "'",
                (name, data) -> {
                    if ("end".equals(name)) {
                        end[0] = EventJson.mapper().readTree(data);
                        return false;
                    }
                    if (!"log".equals(name)) {
                        return true;
                    }
                    JsonNode line = EventJson.mapper().readTree(data);
                    if (output.json()) {
                        out.println(EventJson.mapper().writeValueAsString(line));
                    } else {
                        out.println(printable(line.path("instance").asString("")) + " "
                                + printable(line.path("line").asString("")));
                    }
                    out.flush();
                    return true;
                });
        // the server ends every stream it ends itself with an end event: without one, something between
        // (the connection, a proxy) or a client too slow to take the rest cut it
        if (end[0] == null) {
            throw new CliException("the log stream ended without saying why: the connection or a proxy cut it; "
                    + "run 'slipway logs " + printable(app) + "' again", CliException.FAILED);
        }
        String reason = end[0].path("reason").asString(COMPLETE);
        if (!COMPLETE.equals(reason)) {
            throw new CliException("the log stream was cut short (" + printable(reason) + "): "
                    + printable(end[0].path("message").asString("")), CliException.FAILED);
        }
        return 0;
    }

    /** The server cleans lines already; a terminal is not to trust a server it was pointed at either. */
    static String printable(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        text.codePoints().forEach(c -> safe.appendCodePoint(c != '\t' && (Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT) ? '?' : c));
        return safe.toString();
    }
}
