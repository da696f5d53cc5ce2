package dev.slipway.install.chart;

import com.marcnuri.helm.Helm;
import dev.slipway.install.YamlDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The platform chart as the project ships it, rendered by real Helm (helm-java) with given values. */
final class PlatformChart {

    static final Path ROOT = Path.of(System.getProperty("slipway.root", ".."));
    static final Path DIRECTORY = ROOT.resolve("deploy/k8s/charts/slipway");

    static final String ADMIN_HASH = dev.slipway.testsupport.kubernetes.PlatformRoles.ADMIN_HASH;

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
    static List<Map<String, Object>> objects(String rendered) {
        return YamlDocuments.read(rendered);
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
