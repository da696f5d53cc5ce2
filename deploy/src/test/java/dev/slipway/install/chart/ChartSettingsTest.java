package dev.slipway.install.chart;

import static dev.slipway.install.chart.PlatformChart.env;
import static dev.slipway.install.chart.PlatformChart.named;
import static dev.slipway.install.chart.PlatformChart.objects;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.install.settings.DocumentedSettings;
import dev.slipway.routing.RoutingProperties;
import dev.slipway.staging.kubernetes.KubernetesBuildProperties;
import dev.slipway.upload.auth.AuthProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Every environment variable the chart sets is a setting the operations guide documents, under the
 * name Spring's relaxed binding gives it, and the ones with structure bind where they should.
 */
class ChartSettingsTest {

    @Test
    void everyVariableTheChartSetsIsADocumentedSettingItsServiceReads() {
        Map<String, Object> values = PlatformChart.fixedValues();
        values.put("auth", Map.of("admin", Map.of("username", "admin", "passwordHash", PlatformChart.ADMIN_HASH),
                "trustedProxies", List.of("10.42.0.0/16")));
        values.put("staging", Map.of("allowedBuilders", List.of("paketobuildpacks/builder-jammy-*")));
        var objects = objects(PlatformChart.template(values));
        DocumentedSettings documented = DocumentedSettings.of(PlatformChart.ROOT);

        List<String> problems = new ArrayList<>();
        for (String svc : PlatformChartValuesTest.SERVICES) {
            problems.addAll(documented.problems(svc + "-service",
                    new TreeSet<>(env(named(objects, "Deployment", "slipway-" + svc)).keySet())));
        }
        assertThat(problems).isEmpty();
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
