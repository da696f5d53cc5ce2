package dev.slipway.install.chart;

import static dev.slipway.install.chart.PlatformChart.env;
import static dev.slipway.install.chart.PlatformChart.named;
import static dev.slipway.install.chart.PlatformChart.objects;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.routing.RoutingProperties;
import dev.slipway.staging.kubernetes.KubernetesBuildProperties;
import dev.slipway.upload.auth.AuthProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Every environment variable the chart sets is a setting the operations guide documents, under the
 * name Spring's relaxed binding gives it, and the ones with structure bind where they should.
 */
class ChartSettingsTest {

    private static final Pattern NAME = Pattern.compile("`([^`]+)`");

    @Test
    void everyVariableTheChartSetsIsADocumentedSetting() throws IOException {
        Set<String> documented = documentedSettings();
        Map<String, Object> values = PlatformChart.fixedValues();
        values.put("auth", Map.of("admin", Map.of("username", "admin", "passwordHash", PlatformChart.ADMIN_HASH),
                "trustedProxies", List.of("10.42.0.0/16")));
        values.put("staging", Map.of("allowedBuilders", List.of("paketobuildpacks/builder-jammy-*")));
        var objects = objects(PlatformChart.template(values));

        List<String> undocumented = new ArrayList<>();
        for (String svc : PlatformChartValuesTest.SERVICES) {
            for (String variable : env(named(objects, "Deployment", "slipway-" + svc)).keySet()) {
                if (!documented.contains(variable) && documentedSettingOf(variable, documented) == null) {
                    undocumented.add(svc + ": " + variable);
                }
            }
        }
        assertThat(undocumented).as("variables set by the chart that docs/operations.md does not document").isEmpty();
    }

    @Test
    void anUndocumentedVariableIsCaught() throws IOException {
        // the check above must be able to fail: a made-up setting and a misspelt one are not documented
        Set<String> documented = documentedSettings();

        assertThat(documentedSettingOf("SLIPWAY_STAGING_KUBERNETES_NAMESPACE", documented))
                .isEqualTo("slipway.staging.kubernetes.namespace");
        assertThat(documentedSettingOf("SLIPWAY_STAGING_KUBERNETES_NAMESPAC", documented)).isNull();
        assertThat(documentedSettingOf("SLIPWAY_DEPLOY_CLUSTER_ADMIN", documented)).isNull();
    }

    @Test
    void structuredVariablesBindToTheServicesOwnProperties() {
        var objects = objects(PlatformChart.template(PlatformChart.fixedValues()));
        Map<String, Object> adminEnv = new LinkedHashMap<>(plainValues(env(named(objects, "Deployment", "slipway-upload"))));
        adminEnv.put("SLIPWAY_AUTH_USERS_0_USERNAME", "admin");
        adminEnv.put("SLIPWAY_AUTH_USERS_0_PASSWORDHASH", PlatformChart.ADMIN_HASH);
        AuthProperties auth = binder(adminEnv).bind("slipway.auth", AuthProperties.class).get();
        assertThat(auth.users()).singleElement().satisfies(user -> {
            assertThat(user.username()).isEqualTo("admin");
            assertThat(user.passwordHash()).isEqualTo(PlatformChart.ADMIN_HASH);
            assertThat(user.roles()).containsExactly("admin");
        });

        RoutingProperties routing = binder(plainValues(env(named(objects, "Deployment", "slipway-routing"))))
                .bind("slipway.routing", RoutingProperties.class).get();
        assertThat(routing.claimsNamespace()).isEqualTo("slipway");
        assertThat(routing.ingressClass()).isEqualTo("traefik");

        KubernetesBuildProperties staging = binder(plainValues(env(named(objects, "Deployment", "slipway-staging"))))
                .bind("slipway.staging.kubernetes", KubernetesBuildProperties.class).get();
        assertThat(staging.namespace()).isEqualTo("slipway-staging");
        assertThat(staging.s3Secret()).isEqualTo("slipway-s3");
        assertThat(staging.registrySecret()).isEqualTo("slipway-registry");
    }

    /** The documented setting an environment variable sets, by Spring's relaxed binding, or null. */
    static String documentedSettingOf(String variable, Set<String> documented) {
        ConfigurationPropertySource source = ConfigurationPropertySource.from(
                new SystemEnvironmentPropertySource(org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, "x")));
        return documented.stream().filter(ConfigurationPropertyName::isValid)
                .filter(name -> source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null)
                .findFirst().orElse(null);
    }

    /**
     * Setting names in the first column of docs/operations.md's tables: full names, their
     * abbreviations ({@code `slipway.s3.endpoint`, `access-key`} is also {@code slipway.s3.access-key})
     * and the environment aliases in brackets; not the chart's values table (no settings of their own).
     */
    static Set<String> documentedSettings() throws IOException {
        Set<String> names = new HashSet<>();
        for (String line : Files.readAllLines(PlatformChart.ROOT.resolve("docs/operations.md"))) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String cell = line.substring(2, line.indexOf(" |", 2));
            String prefix = null;
            Matcher name = NAME.matcher(cell);
            while (name.find()) {
                String token = name.group(1).replace("[n]", "[0]");
                if (token.matches("[A-Z][A-Z0-9_]*")) {
                    names.add(token);
                } else if (token.matches("(slipway|spring|management|server)(\\.[a-z0-9\\[\\]-]+)+.*")) {
                    names.add(token);
                    prefix = token.substring(0, token.lastIndexOf('.') + 1);
                } else if (prefix != null) {
                    names.add(prefix + token.replaceFirst("^\\.", ""));
                }
            }
        }
        return names;
    }

    private static Map<String, Object> plainValues(Map<String, Map<String, Object>> env) {
        Map<String, Object> values = new LinkedHashMap<>();
        env.forEach((name, variable) -> {
            if (variable.containsKey("value")) {
                values.put(name, variable.get("value"));
            }
        });
        return values;
    }

    private static Binder binder(Map<String, Object> env) {
        return new Binder(ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)));
    }
}
