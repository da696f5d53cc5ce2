package dev.slipway.cli.output;

import dev.slipway.events.EventJson;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code -o json} for scripts, aligned tables and lines for people; mixed into every read command. */
public class OutputFormat {

    public enum Format { text, json }

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text (default) or json")
    Format format = Format.text;

    public boolean json() {
        return format == Format.json;
    }

    public void printJson(PrintWriter out, Object value) {
        out.println(EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        out.flush();
    }
}
