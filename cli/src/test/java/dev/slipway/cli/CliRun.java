package dev.slipway.cli;

import dev.slipway.cli.config.ConfigFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** One run of the real entry point with its output captured. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(Path configFile, String... args) {
        return of(configFile, Map.of(), Terminal.none(), args);
    }

    /** With environment variables, and a terminal (e.g. {@link ScriptedTerminal}) or {@link Terminal#none()}. */
    public static CliRun of(Path configFile, Map<String, String> environment, Terminal terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SlipwayCommand.run(new CliContext(new ConfigFile(configFile), new PrintWriter(out, true),
                new PrintWriter(err, true), environment, terminal), args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
