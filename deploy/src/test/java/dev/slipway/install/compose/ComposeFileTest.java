package dev.slipway.install.compose;

import static dev.slipway.install.compose.ComposeFile.withDefaults;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.install.settings.DocumentedSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * What a user of docker-compose.yml relies on: the images Maven builds, start order behind health
 * checks, settings the services really read, nothing published beyond loopback, apps kept off the platform.
 */
class ComposeFileTest {

    static final Path ROOT = Path.of(System.getProperty("slipway.root", "..")).toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("upload-service", "staging-service", "deploy-service", "routing-service");
    /** Where the platform's state and code live: nothing of the apps' side may reach them. */
    static final List<String> PLATFORM = List.of("upload-service", "staging-service", "deploy-service",
            "routing-service", "kafka", "minio", "registry");
    private static final Map<String, Integer> PORTS = Map.of("upload-service", 8080, "staging-service", 8081,
            "deploy-service", 8082, "routing-service", 8083);

    private final ComposeFile compose = ComposeFile.read(ROOT.resolve("docker-compose.yml"));

    @ParameterizedTest
    @ValueSource(strings = {"upload-service", "staging-service", "deploy-service", "routing-service"})
    void eachServiceRunsTheImageMavenBuilds(String service) {
        String image = String.valueOf(compose.service(service).get("image"));

        assertThat(image).isEqualTo("slipway/" + service + ":${SLIPWAY_VERSION:-" + System.getProperty("slipway.version") + "}");
        assertThat(withDefaults(image)).isEqualTo("slipway/" + service + ":" + System.getProperty("slipway.version"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"upload-service", "staging-service", "deploy-service", "routing-service"})
    void eachServiceStartsAfterKafkaAndMinioAreHealthyAndHasItsOwnHealthCheck(String service) {
        assertThat(compose.dependsOn(service))
                .containsEntry("kafka", "service_healthy")
                .containsEntry("minio", "service_healthy");
        assertThat(healthCheck(service)).contains("http://127.0.0.1:" + PORTS.get(service) + "/actuator/health");
    }

    @Test
    void whatTheServicesWaitForHasAHealthCheckOrRunsOnce() {
        for (String service : compose.services().keySet()) {
            compose.dependsOn(service).forEach((dependency, condition) -> {
                assertThat(compose.services()).as(service + " depends on " + dependency).containsKey(dependency);
                assertThat(condition).as(service + " waits for " + dependency)
                        .isIn("service_started", "service_healthy", "service_completed_successfully");
                if (condition.equals("service_healthy")) {
                    assertThat(healthCheck(dependency)).as(dependency + "'s health check").isNotBlank();
                }
            });
        }
        assertThat(compose.dependsOn("staging-service")).containsEntry("base-images", "service_completed_successfully")
                .containsEntry("minio-init", "service_completed_successfully");
        assertThat(compose.dependsOn("upload-service")).containsEntry("minio-init", "service_completed_successfully");
        for (String service : List.of("deploy-service", "routing-service")) {
            assertThat(compose.dependsOn(service)).containsEntry("kubeconfig", "service_completed_successfully");
        }
        assertThat(compose.dependsOn("kubeconfig")).containsEntry("k3s", "service_healthy");
    }

    @Test
    void onlyTheApiAndTheAppsPortArePublishedAndOnlyOnLoopback() {
        List<String> published = new ArrayList<>();
        for (String service : compose.services().keySet()) {
            compose.strings(service, "ports").forEach(port -> published.add(service + " " + withDefaults(port)));
            assertThat(compose.service(service)).as(service).doesNotContainKey("network_mode")
                    .doesNotContainKey("expose");
        }

        assertThat(published).containsExactlyInAnyOrder("upload-service 127.0.0.1:8080:8080", "k3s 127.0.0.1:8888:80");
        assertThat(withDefaults(compose.environment("routing-service").get("SLIPWAY_ROUTING_PUBLIC_PORT")))
                .as("the apps' URLs name the port Traefik is published on").isEqualTo("8888");
    }

    @Test
    void appsCannotReachThePlatform() {
        assertThat(compose.networks("k3s")).containsExactly("apps");
        for (String service : PLATFORM) {
            assertThat(compose.networks(service)).as(service).containsExactly("platform");
        }
        List<String> onBoth = compose.services().keySet().stream()
                .filter(service -> compose.networks(service).contains("apps") && compose.networks(service).size() > 1)
                .toList();
        assertThat(onBoth).as("the only ways across").containsExactlyInAnyOrder("k3s-api", "registry-mirror");
        assertThat(compose.environment("registry-mirror"))
                .as("a pull-through copy refuses pushes").containsEntry("REGISTRY_PROXY_REMOTEURL", "http://registry:5000");
        assertThat(compose.strings("k3s-api", "command")).contains("tcp-connect:k3s:6443");

        Set<String> declared = ComposeFile.map(compose.model().get("networks")).keySet();
        for (String service : compose.services().keySet()) {
            assertThat(declared).as(service + "'s networks").containsAll(compose.networks(service));
        }
    }

    @Test
    void theServicesReachTheClusterByANameItsCertificateHolds() {
        assertThat(compose.strings("k3s", "command")).contains("--tls-san=k3s-api");
        assertThat(String.join(" ", compose.strings("kubeconfig", "command")))
                .contains("s#https://127.0.0.1:6443#https://k3s-api:6443#").contains("/kube/config");
        assertThat(compose.environment("deploy-service")).containsEntry("SLIPWAY_DEPLOY_KUBECONFIG", "/kube/config")
                .containsEntry("SLIPWAY_RUNTIME", "kubernetes");
        assertThat(compose.environment("routing-service")).containsEntry("SLIPWAY_ROUTING_KUBECONFIG", "/kube/config")
                .containsEntry("SLIPWAY_RUNTIME", "kubernetes");
        for (String service : List.of("deploy-service", "routing-service")) {
            assertThat(compose.strings(service, "volumes")).contains("kube:/kube:ro");
        }
    }

    @Test
    void stagingAndK3sNameTheRegistryAlike() throws IOException {
        Map<String, Object> registries = new Yaml().load(Files.readString(ROOT.resolve("deploy/compose/registries.yaml")));
        String registry = compose.environment("staging-service").get("SLIPWAY_REGISTRY");

        assertThat(registry).isEqualTo("registry:5000");
        assertThat(ComposeFile.map(registries.get("mirrors"))).containsOnlyKeys(registry);
        assertThat(compose.environment("upload-service")).containsEntry("SLIPWAY_REGISTRY", registry);
        assertThat(compose.strings("base-images", "command")).containsExactly(registry);
        assertThat(compose.strings("k3s", "volumes"))
                .contains("./deploy/compose/registries.yaml:/etc/rancher/k3s/registries.yaml:ro");
    }

    @Test
    void theBaseImagesAreMadeByTheStagingImagesOwnClass() {
        assertThat(compose.service("base-images").get("image")).isEqualTo(compose.service("staging-service").get("image"));
        List<String> entrypoint = compose.strings("base-images", "entrypoint");
        assertThat(entrypoint).startsWith("java", "-cp", "@/app/jib-classpath-file");
        String mainClass = entrypoint.get(entrypoint.size() - 1);
        assertThat(ROOT.resolve("staging-service/src/main/java/" + mainClass.replace('.', '/') + ".java")).exists();
    }

    @Test
    void theSettingsGivenToEachServiceAreDocumentedAndReadByItsCode() {
        DocumentedSettings documented = DocumentedSettings.of(ROOT);
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            problems.addAll(documented.problems(service, new TreeSet<>(compose.environment(service).keySet())));
        }

        assertThat(problems).isEmpty();
    }

    @Test
    void keysAndTheAdminsPasswordHaveNoDefaults() {
        // a default key is a public key: anyone could mint tokens or open the apps' secrets with it
        Map<String, String> upload = compose.environment("upload-service");
        for (String key : List.of("SLIPWAY_TOKEN_KEY", "SLIPWAY_SECRETS_KEY", "SLIPWAY_S3_SECRET_KEY")) {
            assertThat(upload.get(key)).as(key).isEqualTo("${" + key + ":?run scripts/compose-env.sh}");
        }
        assertThat(upload.get("SLIPWAY_AUTH_USERS_0_PASSWORD_HASH"))
                .isEqualTo("${SLIPWAY_ADMIN_PASSWORD_HASH:?run scripts/compose-env.sh}");
        assertThat(compose.environment("deploy-service").get("SLIPWAY_SECRETS_KEY"))
                .as("deploy opens what upload sealed").isEqualTo(upload.get("SLIPWAY_SECRETS_KEY"));
        assertThat(compose.environment("staging-service").get("SLIPWAY_SECRETS_KEY"))
                .as("staging opens the build env upload sealed").isEqualTo(upload.get("SLIPWAY_SECRETS_KEY"));
        for (String service : List.of("minio", "minio-init", "staging-service")) {
            compose.environment(service).forEach((name, value) -> assertThat(value).as(service + " " + name)
                    .doesNotContain(":-slipway-", "try-it-out"));
        }
    }

    @Test
    void interpolationTakesDefaultsAndKeepsRequiredVariablesVisible() {
        assertThat(withDefaults("${BIND:-127.0.0.1}:${PORT:-8080}:8080")).isEqualTo("127.0.0.1:8080:8080");
        assertThat(withDefaults("${HASH:?set it}")).isEqualTo("<HASH>");
        assertThat(withDefaults("\"$$USER\" ${UNSET}")).isEqualTo("\"$USER\" ");
    }

    private String healthCheck(String service) {
        Object test = ComposeFile.map(compose.service(service).get("healthcheck")).get("test");
        return test instanceof List<?> parts ? String.join(" ", parts.stream().map(String::valueOf).toList())
                : test == null ? "" : String.valueOf(test);
    }
}
