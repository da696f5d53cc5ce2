package dev.slipway.install.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.install.settings.DocumentedSettings.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class DocumentedSettingsTest {

    static final Path ROOT = Path.of(System.getProperty("slipway.root", "..")).toAbsolutePath().normalize();
    private final DocumentedSettings documented = DocumentedSettings.of(ROOT);

    @Test
    void aTableCellNamesItsSettingsWithTheirAliasesAndRelativeNames() {
        assertThat(DocumentedSettings.settingsOfCell(
                "`slipway.s3.endpoint` (`SLIPWAY_S3_ENDPOINT`), `access-key`, `secret-key`"))
                .containsExactly(new Setting("slipway.s3.endpoint", List.of("SLIPWAY_S3_ENDPOINT")),
                        new Setting("slipway.s3.access-key", List.of()), new Setting("slipway.s3.secret-key", List.of()));
        assertThat(DocumentedSettings.settingsOfCell("`slipway.auth.users[n].username`, `.password-hash`, `.roles`"))
                .extracting(Setting::name)
                .containsExactly("slipway.auth.users[n].username", "slipway.auth.users[n].password-hash",
                        "slipway.auth.users[n].roles");
        assertThat(DocumentedSettings.settingsOfCell("`slipway.store.namespace-quota`, `namespace-quotas.<ns>`"))
                .extracting(Setting::name)
                .containsExactly("slipway.store.namespace-quota", "slipway.store.namespace-quotas.<ns>");
    }

    /** The variable forms the checker takes are those Spring itself binds, and no others. */
    @ParameterizedTest
    @CsvSource({
            "SLIPWAY_AUTH_USERS_0_USERNAME, slipway.auth.users[n].username, slipway.auth.users[0].username, true",
            "SLIPWAY_AUTH_USERS_3_PASSWORDHASH, slipway.auth.users[n].password-hash, slipway.auth.users[3].password-hash, true",
            "SLIPWAY_AUTH_USERS_0_PASSWORD_HASH, slipway.auth.users[n].password-hash, slipway.auth.users[0].password-hash, true",
            "SLIPWAY_ROUTING_PUBLICPORT, slipway.routing.public-port, slipway.routing.public-port, true",
            "SLIPWAY_ROUTING_PUBLIC_PORT, slipway.routing.public-port, slipway.routing.public-port, true",
            "SLIPWAY_STORE_NAMESPACEQUOTAS_TEAM, slipway.store.namespace-quotas.<ns>, slipway.store.namespace-quotas.team, true",
            "SLIPWAY_ROUTING_PUBLICPORTS, slipway.routing.public-port, slipway.routing.public-port, false",
            "SLIPWAY_ROUTING, slipway.routing.public-port, slipway.routing.public-port, false",
            "SLIPWAY_AUTH_USERS_USERNAME, slipway.auth.users[n].username, slipway.auth.users[0].username, false"})
    void environmentNamesFollowSpringsRelaxedBinding(String variable, String documentedName, String concrete,
                                                     boolean binds) {
        ConfigurationPropertySource spring = ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(variable, "x"))).iterator().next();

        assertThat(spring.getConfigurationProperty(ConfigurationPropertyName.of(concrete)) != null).isEqualTo(binds);
        assertThat(new Setting(documentedName, List.of()).boundFrom(variable)).isEqualTo(binds);
    }

    @Test
    void settingsTheServicesReallyReadPass() {
        assertThat(documented.problems("upload-service", Set.of("SLIPWAY_KAFKA", "SLIPWAY_TOKEN_KEY",
                "SLIPWAY_AUTH_USERS_0_PASSWORDHASH", "SLIPWAY_S3_SECRET_KEY", "SLIPWAY_STORE_NAMESPACEQUOTAS_TEAM",
                "SLIPWAY_WEBHOOKS_MAXWAIT", "JAVA_TOOL_OPTIONS"))).isEmpty();
        assertThat(documented.problems("staging-service", Set.of("SLIPWAY_REGISTRY",
                "SLIPWAY_STAGING_BUILD_BASEIMAGES_JAR", "SLIPWAY_STAGING_UNPACK_MAXENTRIES",
                "SLIPWAY_STAGING_WORKER_SPARES", "SPRING_KAFKA_BOOTSTRAPSERVERS"))).isEmpty();
        assertThat(documented.problems("routing-service", Set.of("SLIPWAY_ROUTING_CLAIMSNAMESPACE",
                "SLIPWAY_SYSTEM_DOMAIN", "SLIPWAY_RUNTIME", "SLIPWAY_ROUTES_RESERVEDHOSTS"))).isEmpty();
        assertThat(documented.problems("deploy-service", Set.of("SLIPWAY_DEPLOY_KUBECONFIG",
                "SLIPWAY_SECRETS_KEY", "SLIPWAY_NAMESPACES_RESERVED", "SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE")))
                .isEmpty();
    }

    @Test
    void aMisspelledVariableIsNotDocumented() {
        assertThat(documented.problems("staging-service", Set.of("SLIPWAY_STAGING_BUILD_REGISTRY_USRNAME")))
                .singleElement().asString()
                .contains("SLIPWAY_STAGING_BUILD_REGISTRY_USRNAME is not a setting docs/operations.md documents");
    }

    @Test
    void aSettingOfAnotherServiceIsNotDocumentedForThisOne() {
        assertThat(documented.problems("routing-service", Set.of("SLIPWAY_DEPLOY_KUBECONFIG")))
                .singleElement().asString().contains("not a setting docs/operations.md documents for routing-service");
    }

    /** A name the docs made up (or misspelled) is caught against the code, not only against the docs. */
    @Test
    void aDocumentedNameTheCodeDoesNotBindIsCaught() {
        DocumentedSettings misspelled = DocumentedSettings.parse("""
                ## staging-service
                | setting | default | meaning |
                |---|---|---|
                | `slipway.staging.build.registry-usrname`, `registry-password` | -, - | registry credentials |
                | `slipway.staging.build.registry` (`SLIPWAY_REGISTRY_HOST`) | `127.0.0.1:5000` | where images go |
                | `slipway.staging.builds.attempts` | `4` | tries |
                """, ROOT);

        assertThat(misspelled.problems("staging-service", Set.of("SLIPWAY_STAGING_BUILD_REGISTRYUSRNAME",
                "SLIPWAY_STAGING_BUILD_REGISTRYPASSWORD", "SLIPWAY_REGISTRY_HOST", "SLIPWAY_STAGING_BUILDS_ATTEMPTS")))
                .containsExactlyInAnyOrder(
                        "staging-service: SLIPWAY_STAGING_BUILD_REGISTRYUSRNAME sets slipway.staging.build.registry-usrname, "
                                + "which the code of staging-service does not bind (no @ConfigurationProperties "
                                + "component, @Value or staging-service.yml key of that name)",
                        "staging-service: SLIPWAY_REGISTRY_HOST sets slipway.staging.build.registry, which the code of "
                                + "staging-service does not bind (no @ConfigurationProperties component, @Value or "
                                + "staging-service.yml key of that name)",
                        "staging-service: SLIPWAY_STAGING_BUILDS_ATTEMPTS sets slipway.staging.builds.attempts, which "
                                + "the code of staging-service does not bind (no @ConfigurationProperties component, "
                                + "@Value or staging-service.yml key of that name)");
    }
}
