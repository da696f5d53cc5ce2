package dev.slipway.cli.push;

import dev.slipway.cli.CliException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Push defaults from {@code slipway.yml} in the pushed folder; flags on the command line win.
 * <pre>
 * name: shop
 * instances: 2
 * routes: [shop.example.com, example.com/shop]
 * env: {MODE: production}
 * builder-image: example/builder:2
 * memory: 256M
 * build_env: {NODE_ENV: production}   # also build-env: set while the image is built, never in it
 * dockerfile: docker/Dockerfile.prod
 * </pre>
 *
 * @param memory     MiB per instance, or null for the platform's default
 * @param buildEnv   build-time env vars, or null
 * @param dockerfile the Dockerfile to build with, relative to the folder, or null
 */
public record Manifest(String name, Integer instances, List<String> routes, Map<String, String> env,
                       String builderImage, Integer memory, Map<String, String> buildEnv, String dockerfile) {

    private static final List<String> KEYS = List.of("name", "instances", "routes", "env", "builder-image", "memory",
            "build_env", "build-env", "dockerfile");

    public static final String FILE_NAME = "slipway.yml";

    public static Manifest empty() {
        return new Manifest(null, null, null, null, null, null, null, null);
    }

    public static Manifest read(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        Object loaded;
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException | RuntimeException invalid) {
            throw CliException.usage(file + " is not valid YAML: " + invalid.getMessage());
        }
        if (loaded == null) {
            return empty();
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw CliException.usage(file + " must be a mapping (" + String.join(":, ", KEYS) + ":)");
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw CliException.usage(file + ": unknown key '" + key + "'; known: " + String.join(", ", KEYS));
            }
        }
        if (map.containsKey("build_env") && map.containsKey("build-env")) {
            throw CliException.usage(file + ": build_env and build-env are the same key; keep one");
        }
        try {
            Object instances = map.get("instances");
            Map<String, String> env = mapping(map.get("env"), file, "env");
            Map<String, String> buildEnv = mapping(map.containsKey("build_env") ? map.get("build_env")
                    : map.get("build-env"), file, "build_env");
            List<String> routes = map.get("routes") instanceof List<?> list
                    ? list.stream().map(String::valueOf).toList() : null;
            return new Manifest(map.get("name") == null ? null : String.valueOf(map.get("name")),
                    instances == null ? null : Integer.valueOf(String.valueOf(instances)), routes, env,
                    map.get("builder-image") == null ? null : String.valueOf(map.get("builder-image")),
                    map.get("memory") == null ? null : MemoryFlag.megabytes(String.valueOf(map.get("memory")),
                            file + ": memory"), buildEnv,
                    map.get("dockerfile") == null ? null : String.valueOf(map.get("dockerfile")));
        } catch (NumberFormatException notANumber) {
            throw CliException.usage(file + ": instances must be a whole number");
        }
    }

    /** A mapping of names to values (numbers and booleans as written); null when absent. */
    private static Map<String, String> mapping(Object value, Path file, String key) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> values)) {
            throw CliException.usage(file + ": " + key + " must be a mapping of NAME: value");
        }
        Map<String, String> mapped = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : values.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> || entry.getValue() instanceof List<?>) {
                throw CliException.usage(file + ": " + key + "." + entry.getKey() + " must be a plain value");
            }
            mapped.put(String.valueOf(entry.getKey()), entry.getValue() == null ? "" : String.valueOf(entry.getValue()));
        }
        return mapped;
    }
}
