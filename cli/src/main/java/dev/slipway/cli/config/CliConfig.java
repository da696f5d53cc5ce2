package dev.slipway.cli.config;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The server the user logged in to, the credentials for it, and the namespace commands act in.
 * {@code slipway login} keeps a revocable CLI token and never the password; {@code password} is
 * read from files an older CLI (or local mode, for its own generated user) wrote, and the next
 * login replaces it.
 * A token from {@code SLIPWAY_TOKEN} comes without a user name.
 */
public record CliConfig(String server, String username, String password, String namespace, String token) {

    public static final String DEFAULT_NAMESPACE = "workspace";

    public CliConfig {
        namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    }

    /** User and password, as local mode and older CLIs keep them. */
    public CliConfig(String server, String username, String password, String namespace) {
        this(server, username, password, namespace, null);
    }

    public static CliConfig withToken(String server, String username, String token, String namespace) {
        return new CliConfig(server, username, null, namespace, token);
    }

    public CliConfig atServer(String other) {
        return new CliConfig(other, username, password, namespace, token);
    }

    @JsonIgnore
    public boolean hasToken() {
        return token != null && !token.isBlank();
    }

    /** Never the secrets: a config may end up in an error message or a debugger. */
    @Override
    public String toString() {
        return "CliConfig[server=" + server + ", username=" + username + ", namespace=" + namespace
                + (hasToken() ? ", token" : password != null ? ", password" : "") + "]";
    }
}
