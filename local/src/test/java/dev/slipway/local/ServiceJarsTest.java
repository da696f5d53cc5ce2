package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.Topics;
import dev.slipway.testsupport.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each service as an operator runs it: {@code java -jar <service>-exec.jar} against a running broker,
 * healthy once its event log answers. Runs on the jars the build just packaged.
 */
@EmbeddedKafka(partitions = 3, topics = Topics.EVENTS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceJarsTest {

    private static final List<String> SERVICES = List.of("upload-service", "staging-service", "deploy-service",
            "routing-service");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Integer> ports = new java.util.LinkedHashMap<>();

    @BeforeAll
    void startJars() throws IOException {
        String servicesDir = System.getProperty("slipway.services.dir");
        Assumptions.assumeTrue(servicesDir != null, "run through Maven, which packages the service jars first");
        String version = System.getProperty("slipway.version");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path logs = Files.createDirectories(Path.of("target", "service-logs"));
        for (String service : SERVICES) {
            Path jar = Path.of(servicesDir, service, "target", service + "-" + version + "-exec.jar");
            assertThat(jar).as("packaged jar of " + service).exists();
            int port = FreePorts.next();
            ports.put(service, port);
            processes.add(new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                    "--spring.kafka.bootstrap-servers=" + EmbeddedKafkaCondition.getBroker().getBrokersAsString(),
                    "--server.port=" + port,
                    // upload-service shows health details only to admins; this test has none
                    "--management.endpoint.health.show-details=always",
                    // upload-service refuses to start without its keys
                    "--slipway.auth.token-key=" + "k".repeat(32), "--slipway.secrets.key=" + "s".repeat(32),
                    "--slipway.local.router.port=0")
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(service + ".log").toFile())
                    .start());
        }
    }

    @AfterAll
    void stopJars() {
        processes.forEach(Process::destroy);
    }

    @Test
    void everyServiceStartsWithJavaJarAndReportsItsEventLogHealthy() {
        for (String service : SERVICES) {
            JsonNode health = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> health(ports.get(service)), Optional::isPresent).orElseThrow();

            assertThat(health.path("status").asString()).as(service).isEqualTo("UP");
            JsonNode eventLog = health.path("components").path("eventLog");
            assertThat(eventLog.path("status").asString()).as(service + " event log").isEqualTo("UP");
            assertThat(eventLog.path("details").path("topic").asString()).isEqualTo(Topics.EVENTS);
            assertThat(eventLog.path("details").path("partitionsWithoutLeader").asInt()).isZero();
        }
    }

    @Test
    void livenessIsTheProcessAndItsConsumersNotTheBroker() {
        for (String service : SERVICES) {
            JsonNode liveness = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .until(() -> health(ports.get(service), "/liveness"), Optional::isPresent).orElseThrow();

            // Kubernetes restarts a pod whose consumer stopped; a broker outage alone restarts nothing
            assertThat(liveness.path("components").propertyNames()).as(service)
                    .containsExactlyInAnyOrder("livenessState", "consumers");
        }
    }

    /** The health document once the service answers UP, empty while it starts. */
    private static Optional<JsonNode> health(int port) {
        return health(port, "");
    }

    /** A health group's document ({@code group} like {@code /liveness}) once it answers UP. */
    private static Optional<JsonNode> health(int port, String group) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health" + group)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JsonMapper.shared().readTree(response.body());
            return "UP".equals(body.path("status").asString()) ? Optional.of(body) : Optional.empty();
        } catch (IOException notListeningYet) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
