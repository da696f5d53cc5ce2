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
 * </pre>
 *
 * @param memory MiB per instance, or null for the platform's default
 */
public record Manifest(String name, Integer instances, List<String> routes, Map<String, String> env,
                       String builderImage, Integer memory) {

    public static final String FILE_NAME = "slipway.yml";

    public static Manifest empty() {
        return new Manifest(null, null, null, null, null, null);
    }

    public static Manifest read(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        Object loaded;
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (IOException | RuntimeException invalid) {
            throw new CliException(file + " is not valid YAML: " + invalid.getMessage());
        }
        if (loaded == null) {
            return empty();
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new CliException(file + " must be a mapping (name:, instances:, routes:, env:, builder-image:, "
                    + "memory:)");
        }
        for (Object key : map.keySet()) {
            if (!List.of("name", "instances", "routes", "env", "builder-image", "memory").contains(String.valueOf(key))) {
                throw new CliException(file + ": unknown key '" + key + "'; known: name, instances, routes, env, "
                        + "builder-image, memory");
            }
        }
        try {
            Object instances = map.get("instances");
            Map<String, String> env = null;
            if (map.get("env") instanceof Map<?, ?> values) {
                env = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : values.entrySet()) {
                    env.put(String.valueOf(entry.getKey()), String.valueOf(entry.getValue()));
                }
            }
            List<String> routes = map.get("routes") instanceof List<?> list
                    ? list.stream().map(String::valueOf).toList() : null;
            return new Manifest(map.get("name") == null ? null : String.valueOf(map.get("name")),
                    instances == null ? null : Integer.valueOf(String.valueOf(instances)), routes, env,
                    map.get("builder-image") == null ? null : String.valueOf(map.get("builder-image")),
                    map.get("memory") == null ? null : MemoryFlag.megabytes(String.valueOf(map.get("memory")),
                            file + ": memory"));
        } catch (NumberFormatException notANumber) {
            throw new CliException(file + ": instances must be a whole number");
        }
    }
}
