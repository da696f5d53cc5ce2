package dev.slipway.cli.config;

/** The server the user logged in to, the credentials for it, and the namespace commands act in. */
public record CliConfig(String server, String username, String password, String namespace) {

    public static final String DEFAULT_NAMESPACE = "workspace";

    public CliConfig {
        namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    }
}
