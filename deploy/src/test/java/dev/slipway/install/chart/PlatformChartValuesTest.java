package dev.slipway.install.chart;

import static dev.slipway.install.chart.PlatformChart.env;
import static dev.slipway.install.chart.PlatformChart.named;
import static dev.slipway.install.chart.PlatformChart.objects;
import static dev.slipway.install.chart.PlatformChart.ofKind;
import static dev.slipway.install.chart.PlatformChart.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What values do to the rendered platform, and the values the chart refuses. */
class PlatformChartValuesTest {

    static final List<String> SERVICES = List.of("upload", "staging", "deploy", "routing");

    @Test
    void everyServiceHasItsDeploymentServiceAndBudgetUnderTheContractNamesAndLabels() {
        var objects = objects(PlatformChart.template(PlatformChart.fixedValues()));
        Map<String, Integer> ports = Map.of("upload", 8080, "staging", 8081, "deploy", 8082, "routing", 8083);

        for (String svc : SERVICES) {
            for (String kind : List.of("Deployment", "Service", "PodDisruptionBudget")) {
                Map<String, Object> object = named(objects, kind, "slipway-" + svc);
                Map<String, Object> labels = path(object, "metadata", "labels");
                assertThat(labels).as(kind + " " + svc).containsEntry("app.kubernetes.io/name", "slipway")
                        .containsEntry("app.kubernetes.io/component", svc)
                        .containsEntry("app.kubernetes.io/instance", "slipway");
            }
            Map<String, Object> deployment = named(objects, "Deployment", "slipway-" + svc);
            assertThat((String) path(deployment, "spec", "template", "spec", "containers", 0, "image"))
                    .isEqualTo("registry.example.com/slipway/" + svc + "-service:" + System.getProperty("slipway.version"));
            assertThat((Object) path(deployment, "spec", "template", "spec", "serviceAccountName"))
                    .isEqualTo("slipway-" + svc);
            assertThat((Object) path(deployment, "spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"))
                    .isEqualTo(ports.get(svc));
            assertThat((Object) path(named(objects, "Service", "slipway-" + svc), "spec", "ports", 0, "port"))
                    .isEqualTo(ports.get(svc));
            assertThat(env(deployment).get("SLIPWAY_RUNTIME")).containsEntry("value", "kubernetes");
            assertThat((Object) path(deployment, "spec", "template", "spec", "containers", 0, "securityContext",
                    "readOnlyRootFilesystem")).isEqualTo(true);
            assertThat((Object) path(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot"))
                    .isEqualTo(true);
        }
    }

    @Test
    void everyServiceMountsItsServiceAccountsTokenAsItsRbacNeedsIt() {
        var objects = objects(PlatformChart.template(PlatformChart.fixedValues()));

        for (String svc : SERVICES) {
            Object automount = path(named(objects, "Deployment", "slipway-" + svc), "spec", "template", "spec",
                    "automountServiceAccountToken");
            // upload reads apps' pods and logs too (see PlatformRbacTest)
            assertThat(automount).as(svc).isNull();
        }
    }

    @Test
    void replicasFollowTheValuesAndNeverDropBelowOne() {
        Map<String, Object> values = PlatformChart.fixedValues();
        values.put("upload", Map.of("replicas", 3));
        values.put("deploy", Map.of("replicas", 0));
        var objects = objects(PlatformChart.template(values));

        assertThat((Object) path(named(objects, "Deployment", "slipway-upload"), "spec", "replicas")).isEqualTo(3);
        assertThat((Object) path(named(objects, "Deployment", "slipway-deploy"), "spec", "replicas")).isEqualTo(1);
        assertThat((Object) path(named(objects, "Deployment", "slipway-routing"), "spec", "replicas")).isEqualTo(1);
    }

    @Test
    void theApiIsBehindTraefikOnItsHostWithTlsOnlyWhenASecretIsNamed() {
        var plain = objects(PlatformChart.template(PlatformChart.fixedValues()));
        Map<String, Object> ingress = named(plain, "Ingress", "slipway-upload");
        assertThat((Object) path(ingress, "spec", "ingressClassName")).isEqualTo("traefik");
        assertThat((Object) path(ingress, "spec", "rules", 0, "host")).isEqualTo("api.example.com");
        assertThat((Object) path(ingress, "spec", "tls")).isNull();

        Map<String, Object> values = PlatformChart.fixedValues();
        values.put("ingress", Map.of("host", "slipway.example.org", "tlsSecret", "slipway-tls", "className", "nginx"));
        Map<String, Object> tls = named(objects(PlatformChart.template(values)), "Ingress", "slipway-upload");
        assertThat((Object) path(tls, "spec", "ingressClassName")).isEqualTo("nginx");
        assertThat((Object) path(tls, "spec", "tls", 0, "secretName")).isEqualTo("slipway-tls");
        assertThat((Object) path(tls, "spec", "tls", 0, "hosts", 0)).isEqualTo("slipway.example.org");
        assertThat((Object) path(tls, "spec", "rules", 0, "host")).isEqualTo("slipway.example.org");
    }

    @Test
    void theIngressAndTheStagingNamespaceCanBeLeftToTheOperator() {
        Map<String, Object> values = PlatformChart.fixedValues();
        values.put("ingress", Map.of("enabled", false));
        values.put("staging", Map.of("createNamespace", false, "namespace", "builds"));
        var objects = objects(PlatformChart.template(values));

        assertThat(ofKind(objects, "Ingress")).isEmpty();
        assertThat(ofKind(objects, "Namespace")).isEmpty();
        assertThat(env(named(objects, "Deployment", "slipway-staging")).get("SLIPWAY_STAGING_KUBERNETES_NAMESPACE"))
                .containsEntry("value", "builds");
        assertThat((Object) path(named(objects, "NetworkPolicy", "slipway-staging-jobs"), "metadata", "namespace"))
                .isEqualTo("builds");
    }

    @Test
    void theApisOwnHostCannotBeTakenAsAnAppRoute() {
        Map<String, Object> values = PlatformChart.fixedValues();
        values.put("ingress", Map.of("host", "slipway.example.org"));
        var objects = objects(PlatformChart.template(values));

        for (String svc : List.of("upload", "routing")) {
            assertThat((String) env(named(objects, "Deployment", "slipway-" + svc)).get("SLIPWAY_ROUTES_RESERVEDHOSTS")
                    .get("value")).as(svc).contains("slipway.example.org").contains("{system-domain}");
        }
    }

    @Test
    void behindThePoliciesTheApiBelievesForwardedAddressesOnlyFromThePodRanges() {
        // without it every client shares the ingress controller's address, and one attacker's failures lock all out
        var defaults = objects(PlatformChart.template(PlatformChart.fixedValues()));
        assertThat(env(named(defaults, "Deployment", "slipway-upload")).get("SLIPWAY_AUTH_TRUSTEDPROXIES"))
                .containsEntry("value", "10.42.0.0/16,10.43.0.0/16");

        Map<String, Object> given = PlatformChart.fixedValues();
        given.put("auth", Map.of("admin", Map.of("username", "admin", "passwordHash", PlatformChart.ADMIN_HASH),
                "trustedProxies", List.of("10.9.8.7")));
        assertThat(env(named(objects(PlatformChart.template(given)), "Deployment", "slipway-upload"))
                .get("SLIPWAY_AUTH_TRUSTEDPROXIES")).containsEntry("value", "10.9.8.7");

        // no policies: any pod could reach upload and forge X-Forwarded-For, so nothing is believed
        Map<String, Object> open = PlatformChart.fixedValues();
        open.put("networkPolicies", Map.of("enabled", false));
        assertThat(env(named(objects(PlatformChart.template(open)), "Deployment", "slipway-upload")))
                .doesNotContainKey("SLIPWAY_AUTH_TRUSTEDPROXIES");
    }

    @Test
    void existingSecretsAreReferencedAndNoneIsMadeInTheirPlace() {
        Map<String, Object> values = PlatformChart.minimalValues();
        values.put("keys", Map.of("existingSecret", "my-keys"));
        values.put("s3", Map.of("existingSecret", "my-s3"));
        values.put("registry", Map.of("existingSecret", "my-registry"));
        values.put("auth", Map.of("existingSecret", "my-admin"));
        var objects = objects(PlatformChart.template(values));

        assertThat(ofKind(objects, "Secret")).as("no Secret made when all are given").isEmpty();
        Map<String, Map<String, Object>> upload = env(named(objects, "Deployment", "slipway-upload"));
        assertThat(secretOf(upload, "SLIPWAY_TOKEN_KEY")).isEqualTo("my-keys");
        assertThat(secretOf(upload, "SLIPWAY_S3_SECRET_KEY")).isEqualTo("my-s3");
        assertThat(secretOf(upload, "SLIPWAY_AUTH_USERS_0_PASSWORDHASH")).isEqualTo("my-admin");
        assertThat(secretOf(env(named(objects, "Deployment", "slipway-staging")),
                "SLIPWAY_STAGING_BUILD_REGISTRYPASSWORD")).isEqualTo("my-registry");
        assertThat(secretOf(env(named(objects, "Deployment", "slipway-deploy")), "SLIPWAY_SECRETS_KEY"))
                .isEqualTo("my-keys");
        assertThat(secretOf(env(named(objects, "Deployment", "slipway-staging")), "SLIPWAY_SECRETS_KEY"))
                .as("staging opens the build env upload sealed").isEqualTo("my-keys");
    }

    @Test
    void secretValuesNeverAppearInPlainEnv() {
        var objects = objects(PlatformChart.template(PlatformChart.fixedValues()));

        for (String svc : SERVICES) {
            env(named(objects, "Deployment", "slipway-" + svc)).forEach((name, variable) -> {
                if (name.matches(".*(KEY|PASSWORD|PASSWORDHASH)$")) {
                    assertThat(variable).as(svc + " " + name).doesNotContainKey("value").containsKey("valueFrom");
                }
            });
        }
    }

    @Test
    void theStagingJobsGetTheirSecretsInTheirOwnNamespaceWithRegistryCredentialsAsDockerConfig() {
        Map<String, Object> values = PlatformChart.fixedValues();
        values.put("registry", Map.of("host", "registry.example.com:5000", "username", "pusher", "password", "p4ss"));
        var objects = objects(PlatformChart.template(values));

        var inStaging = ofKind(objects, "Secret").stream()
                .filter(secret -> "slipway-staging".equals(path(secret, "metadata", "namespace"))).toList();
        assertThat(inStaging).extracting(secret -> (String) path(secret, "metadata", "name"))
                .containsExactlyInAnyOrder("slipway-s3", "slipway-registry");
        Map<String, Object> registry = named(inStaging, "Secret", "slipway-registry");
        assertThat((Object) path(registry, "type")).isEqualTo("kubernetes.io/dockerconfigjson");
        String config = decode(path(registry, "data", ".dockerconfigjson"));
        assertThat(config).isEqualTo("{\"auths\":{\"registry.example.com:5000\":{\"auth\":\""
                + java.util.Base64.getEncoder().encodeToString("pusher:p4ss".getBytes()) + "\"}}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokenKey", "secretsKey"})
    void aGivenKeyShorterThan32CharactersIsRefused(String key) {
        Map<String, Object> values = PlatformChart.minimalValues();
        Map<String, Object> keys = new java.util.HashMap<>(Map.of("tokenKey", "t".repeat(40), "secretsKey", "s".repeat(40)));
        keys.put(key, "short-key-31-characters-long-xx");
        values.put("keys", keys);

        assertThatThrownBy(() -> PlatformChart.template(values))
                .hasMessageContaining("keys." + key + " must be at least 32 characters (it is 31)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "$2y$10$tooShort", "$1$md5$notbcrypt",
            "$2y$10$Ls8OW2Lq5hThBfmnGkBaMeVsqpz6mbx7LNpxOw5rxThZhcZv3IHNu\nsecond line"})
    void anAdminPasswordThatIsNotABcryptHashIsRefused(String hash) {
        Map<String, Object> values = PlatformChart.fixedValues();
        values.put("auth", Map.of("admin", Map.of("username", "admin", "passwordHash", hash)));

        assertThatThrownBy(() -> PlatformChart.template(values))
                .hasMessageContaining("auth.admin.passwordHash must be a bcrypt hash");
    }

    @Test
    void withoutAnAdminOrS3CredentialsTheChartSaysWhatIsMissing() {
        Map<String, Object> noAdmin = PlatformChart.fixedValues();
        noAdmin.remove("auth");
        assertThatThrownBy(() -> PlatformChart.template(noAdmin))
                .hasMessageContaining("auth.admin.passwordHash (a bcrypt hash) or auth.existingSecret is required");

        Map<String, Object> noS3 = PlatformChart.fixedValues();
        noS3.remove("s3");
        assertThatThrownBy(() -> PlatformChart.template(noS3))
                .hasMessageContaining("s3.accessKey or s3.existingSecret is required");
    }

    private static String secretOf(Map<String, Map<String, Object>> env, String name) {
        return path(env.get(name), "valueFrom", "secretKeyRef", "name");
    }

    private static String decode(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    }
}
