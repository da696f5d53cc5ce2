package dev.slipway.cli;

import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.config.CliConfig;
import dev.slipway.cli.config.ConfigFile;
import java.io.PrintWriter;

/**
 * What every command works with: where its settings live and where it writes. Tests give their
 * own; {@link SlipwayCommand#main} gives the user's.
 *
 * @param out results (tables, JSON, URLs), what scripts read
 * @param err progress and errors, what people read
 */
public record CliContext(ConfigFile configFile, PrintWriter out, PrintWriter err) {

    /** The API of the server the user logged in to; a clear error when there is none. */
    public SlipwayApi api() {
        CliConfig config = configFile.load().orElseThrow(() -> new CliException(
                "not logged in: run 'slipway login <url>' first"));
        return new SlipwayApi(config);
    }

    public String defaultNamespace() {
        return configFile.load().map(CliConfig::namespace).orElse(CliConfig.DEFAULT_NAMESPACE);
    }
}
