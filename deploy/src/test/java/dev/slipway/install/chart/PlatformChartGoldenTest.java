package dev.slipway.install.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The platform chart rendered by real Helm for a table of values, against golden YAML in
 * {@code src/test/resources/golden/chart}. Keys are given, so a render is the same every time.
 */
class PlatformChartGoldenTest {

    static Stream<Arguments> releases() {
        Map<String, Object> production = PlatformChart.minimalValues();
        production.put("keys", Map.of("existingSecret", "slipway-keys-from-vault"));
        production.put("s3", Map.of("existingSecret", "minio-credentials", "endpoint", "https://s3.example.com"));
        production.put("registry", Map.of("host", "registry.example.com:5000", "existingSecret", "registry-push"));
        production.put("auth", Map.of("existingSecret", "slipway-admin-from-vault",
                "trustedProxies", List.of("10.42.0.0/16")));
        production.put("ingress", Map.of("host", "slipway.example.com", "tlsSecret", "slipway-example-com-tls"));
        production.put("upload", Map.of("replicas", 3));
        production.put("staging", Map.of("allowedBuilders", List.of("paketobuildpacks/builder-jammy-*",
                "registry.example.com/builders/*")));
        return Stream.of(
                Arguments.of("defaults", PlatformChart.fixedValues()),
                Arguments.of("existing-secrets-tls-three-uploads", production));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void rendersThePlatform(String name, Map<String, Object> values) throws IOException {
        String rendered = PlatformChart.template(values);

        if (Boolean.getBoolean("golden.update")) {
            // after a deliberate chart change: -Dgolden.update=true rewrites the files, then review the diff
            Files.writeString(Path.of("src/test/resources/golden/chart", name + ".yaml"), rendered);
        }
        assertThat(rendered).isEqualTo(golden(name));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = PlatformChartGoldenTest.class.getResourceAsStream("/golden/chart/" + name + ".yaml")) {
            assertThat(in).as("golden file %s.yaml", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
