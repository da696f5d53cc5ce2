package dev.slipway.install.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml as a user's compose tool reads it, with the parts the tests look at. */
record ComposeFile(Map<String, Object> model) {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::?([-?])([^}]*))?}|\\$\\$");

    static ComposeFile read(Path file) {
        try {
            return new ComposeFile(new Yaml().load(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, Object> services() {
        return map(model.get("services"));
    }

    Map<String, Object> service(String name) {
        Map<String, Object> service = map(services().get(name));
        if (service.isEmpty()) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The service's environment as written (values not interpolated), from either of compose's forms. */
    Map<String, String> environment(String service) {
        Object environment = service(service).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> byName) {
            byName.forEach((name, value) -> variables.put(String.valueOf(name), value == null ? null : String.valueOf(value)));
        } else if (environment instanceof List<?> lines) {
            for (Object line : lines) {
                String[] pair = String.valueOf(line).split("=", 2);
                variables.put(pair[0], pair.length > 1 ? pair[1] : null);
            }
        }
        return variables;
    }

    /** The services this one waits for, each with its condition. */
    Map<String, String> dependsOn(String service) {
        Object dependsOn = service(service).get("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn instanceof Map<?, ?> byName) {
            byName.forEach((name, spec) -> conditions.put(String.valueOf(name),
                    String.valueOf(map(spec).getOrDefault("condition", "service_started"))));
        } else if (dependsOn instanceof List<?> names) {
            names.forEach(name -> conditions.put(String.valueOf(name), "service_started"));
        }
        return conditions;
    }

    List<String> networks(String service) {
        Object networks = service(service).get("networks");
        if (networks instanceof Map<?, ?> byName) {
            return byName.keySet().stream().map(String::valueOf).toList();
        }
        return networks instanceof List<?> names ? names.stream().map(String::valueOf).toList() : List.of("default");
    }

    List<String> strings(String service, String key) {
        Object value = service(service).get(key);
        if (value instanceof List<?> items) {
            return items.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    /**
     * {@code text} as compose makes it when the user set no variable: each {@code ${NAME:-default}} becomes
     * its default, {@code $$} a dollar; a required {@code ${NAME:?message}} stays visible as {@code <NAME>}.
     */
    static String withDefaults(String text) {
        Matcher variable = VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (variable.find()) {
            String replacement;
            if (variable.group().equals("$$")) {
                replacement = "$";
            } else if ("?".equals(variable.group(2))) {
                replacement = "<" + variable.group(1) + ">";
            } else {
                replacement = variable.group(3) == null ? "" : variable.group(3);
            }
            variable.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        variable.appendTail(result);
        return result.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
