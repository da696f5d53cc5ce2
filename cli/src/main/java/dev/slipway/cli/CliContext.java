package dev.slipway.cli;

import dev.slipway.cli.api.SlipwayApi;
import dev.slipway.cli.config.CliConfig;
import dev.slipway.cli.config.ConfigFile;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/**
 * What every command works with: where its settings live, the environment that may override them,
 * where it writes and whether a person is at a terminal. Tests give their own;
 * {@link SlipwayCommand#main} gives the user's.
 *
 * @param out         results (tables, JSON, URLs), what scripts read
 * @param err         progress and errors, what people read
 * @param environment {@code SLIPWAY_SERVER} and {@code SLIPWAY_TOKEN} override the config file (CI jobs)
 */
public record CliContext(ConfigFile configFile, PrintWriter out, PrintWriter err, Map<String, String> environment,
                         Terminal terminal) {

    public static final String SERVER_VARIABLE = "SLIPWAY_SERVER";
    public static final String TOKEN_VARIABLE = "SLIPWAY_TOKEN";

    /** No environment overrides and no terminal: what an embedding program or a test wants. */
    public CliContext(ConfigFile configFile, PrintWriter out, PrintWriter err) {
        this(configFile, out, err, Map.of(), Terminal.none());
    }

    /** The API of the server in effect (environment over config file); a clear error when there is none. */
    public SlipwayApi api() {
        return new SlipwayApi(config().orElseThrow(() -> new CliException(
                "not logged in: run 'slipway login <url>' first, or set " + SERVER_VARIABLE + " and "
                        + TOKEN_VARIABLE, CliException.AUTH)));
    }

    /** The config file's settings with {@code SLIPWAY_SERVER} and {@code SLIPWAY_TOKEN} laid over them. */
    public Optional<CliConfig> config() {
        Optional<CliConfig> stored = configFile.load();
        String server = variable(SERVER_VARIABLE);
        String token = variable(TOKEN_VARIABLE);
        if (server == null && token == null) {
            return stored;
        }
        if (server != null && !server.matches("https?://[^\\s]+")) {
            throw CliException.usage(SERVER_VARIABLE + " must be the server's URL (http:// or https://), was "
                    + server);
        }
        if (token != null) {
            String target = server != null ? server : stored.map(CliConfig::server).orElseThrow(() ->
                    CliException.usage(TOKEN_VARIABLE + " is set but no server is known: set " + SERVER_VARIABLE
                            + " too"));
            return Optional.of(CliConfig.withToken(target, null, token,
                    stored.map(CliConfig::namespace).orElse(null)));
        }
        // the file's credentials go to the server they were made for, never to another one
        return stored.filter(config -> sameServer(config.server(), server)).map(config -> config.atServer(server))
                .or(() -> {
            throw new CliException(SERVER_VARIABLE + " is set but there are no credentials for it: set "
                    + TOKEN_VARIABLE + " or run 'slipway login " + server + "'", CliException.AUTH);
        });
    }

    private static boolean sameServer(String stored, String wanted) {
        return stored != null && stored.replaceAll("/+$", "").equals(wanted.replaceAll("/+$", ""));
    }

    public String defaultNamespace() {
        return configFile.load().map(CliConfig::namespace).orElse(CliConfig.DEFAULT_NAMESPACE);
    }

    private String variable(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
