package dev.slipway.cli.api;

import dev.slipway.cli.CliException;
import dev.slipway.cli.config.CliConfig;
import dev.slipway.events.EventJson;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;

/** The server refused a request; the message is the server's own, plus a next step where one is known. */
public class ApiError extends CliException {

    private final int status;

    ApiError(int status, String message) {
        super(message, exitCode(status));
        this.status = status;
    }

    static int exitCode(int status) {
        return switch (status) {
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            default -> FAILED;
        };
    }

    public int status() {
        return status;
    }

    static ApiError of(int status, byte[] body, CliConfig config) {
        String details;
        try {
            JsonNode json = EventJson.mapper().readTree(body);
            details = json.path("errors").path(0).path("details").asString(null);
        } catch (RuntimeException notJson) {
            details = null;
        }
        if (details == null || details.isBlank()) {
            details = new String(body, StandardCharsets.UTF_8).strip();
        }
        if (status == 401) {
            String who = config.username() == null ? "the token in SLIPWAY_TOKEN"
                    : (config.hasToken() ? "the CLI token of user '" : "user '") + config.username() + "'";
            return new ApiError(status, "the server at " + config.server() + " did not accept " + who + " ("
                    + details + "); log in again with 'slipway login " + config.server() + "'");
        }
        return new ApiError(status, details.isEmpty() ? "the server answered HTTP " + status : details);
    }
}
