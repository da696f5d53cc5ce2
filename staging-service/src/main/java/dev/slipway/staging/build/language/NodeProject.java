package dev.slipway.staging.build.language;

import dev.slipway.staging.build.AppKind;
import dev.slipway.staging.build.StageFailure;
import dev.slipway.events.ReasonCodes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Node.js project: dependencies installed as the lock file says ({@code npm ci}) or resolved
 * ({@code npm install}) when there is none, the {@code build} script run when there is one, then the
 * development dependencies pruned, so the image holds production dependencies only. It starts with
 * its {@code start} script (run by a shell, {@code node_modules/.bin} on the PATH), else
 * {@code node <main>}, else {@code node index.js} or {@code server.js}.
 */
final class NodeProject {

    static final int MAX_PACKAGE_JSON = 1024 * 1024;
    static final int MAX_SCRIPT = 16 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NPM_FLAGS = " --no-audit --no-fund";

    private NodeProject() {
    }

    static BuildPlan plan(Path root, List<String> procfileCommand) throws IOException, StageFailure {
        JsonNode manifest = manifest(root);
        JsonNode scripts = manifest.get("scripts");
        if (scripts != null && !scripts.isNull() && !scripts.isObject()) {
            throw ProjectFiles.invalid("package.json: \"scripts\" must be an object of names to commands; fix "
                    + "package.json");
        }
        Optional<String> build = script(scripts, "build");
        Optional<String> start = script(scripts, "start");
        boolean locked = ProjectFiles.has(root, "package-lock.json") || ProjectFiles.has(root, "npm-shrinkwrap.json");

        List<String> lines = new ArrayList<>();
        lines.add((locked ? "npm ci" : "npm install") + NPM_FLAGS);
        build.ifPresent(ignored -> lines.add("npm run build"));
        lines.add("npm prune --omit=dev" + NPM_FLAGS);

        List<String> command;
        String how;
        if (!procfileCommand.isEmpty()) {
            command = procfileCommand;
            how = "Procfile web process";
        } else if (start.isPresent()) {
            command = List.of("/bin/sh", "-c", start.get());
            how = "npm start script: " + start.get();
        } else {
            String main = main(root, manifest);
            command = List.of("node", BuildPlan.WORKSPACE + "/" + main);
            how = "node " + main;
        }
        return new BuildPlan(AppKind.NODE, lines,
                Map.of("npm_config_cache", BuildPlan.CACHE + "/npm", "npm_config_update_notifier", "false",
                        "npm_config_loglevel", "warn", "HOME", "/tmp", "PATH", "/usr/bin:/bin"),
                command,
                Map.of("PATH", BuildPlan.WORKSPACE + "/node_modules/.bin:/usr/bin:/bin", "NODE_ENV", "production"),
                List.of("node_modules"), List.of(), List.of(BuildPlan.OUTPUT),
                null, (locked ? "npm ci" : "npm install (no package-lock.json)")
                        + (build.isPresent() ? ", npm run build" : "") + "; starts with " + how);
    }

    private static JsonNode manifest(Path root) throws IOException, StageFailure {
        String text = ProjectFiles.read(root.resolve("package.json"), MAX_PACKAGE_JSON);
        JsonNode manifest;
        try {
            manifest = JSON.readTree(text);
        } catch (JacksonException e) {
            throw ProjectFiles.invalid("package.json is not valid JSON (" + firstLine(e.getOriginalMessage())
                    + "); fix it (npm install checks it too)");
        }
        if (manifest == null || !manifest.isObject()) {
            throw ProjectFiles.invalid("package.json must hold a JSON object; fix package.json");
        }
        return manifest;
    }

    /** A script by name: a string with something in it; anything else is a mistake worth saying. */
    private static Optional<String> script(JsonNode scripts, String name) throws StageFailure {
        JsonNode script = scripts == null ? null : scripts.get(name);
        if (script == null || script.isNull()) {
            return Optional.empty();
        }
        if (!script.isString()) {
            throw ProjectFiles.invalid("package.json: scripts." + name + " must be a string (a shell command); "
                    + "fix package.json");
        }
        String command = script.stringValue().strip();
        if (command.length() > MAX_SCRIPT || command.indexOf('\0') >= 0) {
            throw ProjectFiles.invalid("package.json: scripts." + name + " is longer than " + MAX_SCRIPT / 1024
                    + " KB or holds a NUL character; shorten it (move it into a script file)");
        }
        return command.isEmpty() ? Optional.empty() : Optional.of(command);
    }

    /**
     * {@code main}, checked to stay inside the app, else index.js or server.js. A main that does not exist
     * yet may be made by the build script, so only its place is checked then.
     */
    private static String main(Path root, JsonNode manifest) throws StageFailure {
        JsonNode main = manifest.get("main");
        if (main != null && !main.isNull()) {
            Optional<String> inside = main.isString() ? ProjectFiles.inside(main.stringValue()) : Optional.empty();
            if (inside.isEmpty()) {
                throw ProjectFiles.invalid("package.json: \"main\" must be a relative path inside the app (such as "
                        + "\"server.js\"); it is " + abbreviated(main.toString()) + "; fix package.json");
            }
            return inside.get();
        }
        for (String candidate : List.of("index.js", "server.js")) {
            if (ProjectFiles.has(root, candidate)) {
                return candidate;
            }
        }
        throw new StageFailure(ReasonCodes.BUILDER_NOT_DETECTED, "cannot tell how to start this Node.js app: "
                + "package.json has no scripts.start and no \"main\", and there is no index.js or server.js"
                + "; add a start script (\"scripts\": {\"start\": \"node server.js\"}) or a "
                + "Procfile with 'web: <command>'", false);
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : abbreviated(message.lines().findFirst().orElse(message));
    }
}
