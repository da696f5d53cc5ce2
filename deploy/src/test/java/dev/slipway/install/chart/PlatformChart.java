package dev.slipway.install.chart;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The platform chart as the project ships it, rendered by real Helm (helm-java) with given values. */
final class PlatformChart {

    static final Path ROOT = Path.of(System.getProperty("slipway.root", ".."));
    static final Path DIRECTORY = ROOT.resolve("deploy/k8s/charts/slipway");

    /** A bcrypt hash (of "correct horse"), as an operator would give one. */
    static final String ADMIN_HASH = "$2y$10$Ls8OW2Lq5hThBfmnGkBaMeVsqpz6mbx7LNpxOw5rxThZhcZv3IHNu";

    private PlatformChart() {
    }

    /** Values every render needs: an admin and S3 credentials; the rest are the chart's defaults. */
    static Map<String, Object> minimalValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("auth", Map.of("admin", Map.of("username", "admin", "passwordHash", ADMIN_HASH)));
        values.put("s3", Map.of("accessKey", "slipway", "secretKey", "s3-secret-for-tests"));
        return values;
    }

    /** {@link #minimalValues} with fixed keys, so that a render is the same every time. */
    static Map<String, Object> fixedValues() {
        Map<String, Object> values = minimalValues();
        values.put("keys", Map.of("tokenKey", "t".repeat(40), "secretsKey", "s".repeat(40)));
        return values;
    }

    static String template(Map<String, Object> values) {
        return new Helm(DIRECTORY).template().withName("slipway").withNamespace("slipway")
                .withValuesFile(valuesFile(values)).call();
    }

    static Path valuesFile(Map<String, Object> values) {
        try {
            Path file = Files.createTempFile("slipway-values", ".json");
            file.toFile().deleteOnExit();
            return Files.writeString(file, tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object of a render, in order. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(String rendered) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(rendered)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return objects;
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(object -> kind.equals(object.get("kind"))).toList();
    }

    static Map<String, Object> named(List<Map<String, Object>> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(object -> name.equals(path(object, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    /** The value at a path of map keys and list indexes, or null. */
    @SuppressWarnings("unchecked")
    static <T> T path(Object node, Object... keys) {
        Object current = node;
        for (Object key : keys) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else if (current instanceof List<?> list && key instanceof Integer index && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return (T) current;
    }

    /** A Deployment's env as name -> the object Kubernetes gets (value or valueFrom). */
    static Map<String, Map<String, Object>> env(Map<String, Object> deployment) {
        List<Map<String, Object>> env = path(deployment, "spec", "template", "spec", "containers", 0, "env");
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Map<String, Object> variable : Objects.requireNonNull(env)) {
            if (byName.put((String) variable.get("name"), variable) != null) {
                throw new AssertionError("env " + variable.get("name") + " is set twice");
            }
        }
        return byName;
    }
}
