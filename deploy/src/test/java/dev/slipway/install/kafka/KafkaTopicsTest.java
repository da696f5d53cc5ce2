package dev.slipway.install.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.events.Topics;
import dev.slipway.install.YamlDocuments;
import dev.slipway.upload.apps.AppStore;
import dev.slipway.upload.auth.Revocations;
import dev.slipway.upload.webhooks.DeliveryLog;
import dev.slipway.upload.webhooks.SubscriptionStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/k8s/kafka/topics.yaml} and the topics the code uses cannot drift apart: the same
 * names (from the code's own constants and the services' consumer groups), compaction where state
 * must outlive the log, the event log's retention as documented, and partitions that fit the chart.
 */
class KafkaTopicsTest {

    static final Path ROOT = Path.of(System.getProperty("slipway.root", ".."));
    static final List<String> SERVICES = List.of("upload-service", "staging-service", "deploy-service", "routing-service");

    /**
     * Topics holding state keyed by entity, created compacted by the code that owns them (AttemptLedger,
     * UploadConfiguration, SecurityConfiguration, WebhooksConfiguration, routing's route table,
     * deploy's releases).
     */
    // upload-service's own state topics, named in package-private classes (projection, deadletters)
    static final String APP_PUSHES = "slipway.upload.app-pushes";
    static final String REDRIVES = "slipway.dead-letter-redrives";
    static final Set<String> COMPACTED = Set.of(Topics.STAGE_ATTEMPTS, AppStore.TOPIC, Revocations.TOPIC,
            SubscriptionStore.TOPIC, Topics.ROUTES, Topics.RELEASES, Topics.PUSHES, Topics.BLOBS, APP_PUSHES, REDRIVES);

    @Test
    void everyTopicTheServicesUseHasAManifestAndNoOtherDoes() throws IOException {
        Set<String> used = new TreeSet<>(List.of(Topics.EVENTS, Topics.STAGE_ATTEMPTS, AppStore.TOPIC,
                Revocations.TOPIC, SubscriptionStore.TOPIC, DeliveryLog.TOPIC, Topics.ROUTES, Topics.RELEASES,
                Topics.PUSHES, Topics.BLOBS, APP_PUSHES, REDRIVES));
        for (String group : consumerGroups()) {
            used.add(Topics.deadLetter(group));
        }

        assertThat(new TreeSet<>(topics().keySet())).isEqualTo(used);
    }

    @Test
    void theDeadLetterTopicsAreThoseOfTheServicesThatConsumeTheLog() throws IOException {
        // guards the derivation above: upload-service follows topics itself and binds no stage
        assertThat(consumerGroups()).containsExactlyInAnyOrder("staging-service", "deploy-service", "routing-service");
    }

    @Test
    void stateTopicsAreCompactedAndNeverExpire() throws IOException {
        topics().forEach((topic, spec) -> {
            Map<String, Object> config = config(spec);
            if (COMPACTED.contains(topic)) {
                assertThat(config).as(topic).containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
            } else {
                assertThat(config.getOrDefault("cleanup.policy", "delete")).as(topic).isEqualTo("delete");
                assertThat(config).as("%s needs an explicit retention (the broker's default is 7 days)", topic)
                        .containsKey("retention.ms");
            }
        });
    }

    @Test
    void compactionAgreesWithTheEventContractsReadme() throws IOException {
        String readme = Files.readString(ROOT.resolve("events-schema/README.md"));
        Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|(.*)$").matcher(readme);
        int rows = 0;
        while (row.find()) {
            if (row.group(1).contains("<")) {
                continue; // error.slipway.events.<group>
            }
            rows++;
            assertThat(COMPACTED.contains(row.group(1))).as(row.group(1)).isEqualTo(row.group(2).contains("compacted"));
        }
        assertThat(rows).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theEventLogKeepsWhatTheOperationsGuideSays() throws IOException {
        String guide = Files.readString(ROOT.resolve("docs/operations.md"));
        Matcher documented = Pattern.compile("`slipway.events` is kept (\\d+) days \\(`retention.ms` (\\d+)").matcher(guide);
        assertThat(documented.find()).as("docs/operations.md states the event log's retention").isTrue();
        long days = Long.parseLong(documented.group(1));

        assertThat(documented.group(2)).isEqualTo(String.valueOf(days * 24 * 3600 * 1000));
        assertThat(config(topics().get(Topics.EVENTS))).containsEntry("retention.ms", documented.group(2));
        // a deleted app's route tombstone outlives every event that could route it again (RoutesTopic)
        assertThat(config(topics().get(Topics.ROUTES))).containsEntry("delete.retention.ms", documented.group(2));
        // what the services give the topic when they create it, on each install
        @SuppressWarnings("unchecked")
        Map<String, Object> chartEvents = (Map<String, Object>) yaml(Files.readString(
                ROOT.resolve("deploy/k8s/charts/slipway/values.yaml"))).get(0).get("events");
        assertThat(chartEvents).containsEntry("retention", days + "d");
        assertThat(Files.readString(ROOT.resolve("docker-compose.yml")))
                .contains("SLIPWAY_EVENTS_RETENTION: ${SLIPWAY_EVENTS_RETENTION:-" + days + "d}");
        assertThat(guide).contains("| `slipway.events.retention` | `" + days + "d` |");
        assertThat(Files.readString(ROOT.resolve("events-schema/src/main/java/dev/slipway/events/spring/EventsProperties.java")))
                .contains("@DefaultValue(\"" + days + "d\") Duration retention");
    }

    @Test
    void partitionsAndReplicasFitTheChartAndTheDeadLettersKeepTheirPartition() throws IOException {
        Map<String, Object> chartValues = yaml(Files.readString(ROOT.resolve("deploy/k8s/charts/slipway/values.yaml")))
                .get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> events = (Map<String, Object>) chartValues.get("events");
        var topics = topics();

        assertThat(topics.get(Topics.EVENTS).get("partitions")).isEqualTo(events.get("partitions"));
        topics.forEach((topic, spec) -> {
            assertThat(spec.get("replicas")).as(topic).isEqualTo(events.get("replicationFactor"));
            if (topic.startsWith("error.")) {
                assertThat(spec.get("partitions")).as(topic).isEqualTo(events.get("partitions"));
            }
        });
    }

    @Test
    void everyTopicBelongsToTheClusterOfKafkaYaml() throws IOException {
        var kafka = yaml(Files.readString(ROOT.resolve("deploy/k8s/kafka/kafka.yaml")));
        String cluster = kafka.stream().filter(object -> "Kafka".equals(object.get("kind")))
                .map(object -> (String) ((Map<?, ?>) object.get("metadata")).get("name")).findFirst().orElseThrow();
        var pool = kafka.stream().filter(object -> "KafkaNodePool".equals(object.get("kind"))).findFirst().orElseThrow();
        assertThat(((Map<?, ?>) pool.get("spec")).get("roles")).isEqualTo(List.of("controller", "broker"));
        assertThat(((Map<?, ?>) pool.get("spec")).get("replicas")).isEqualTo(3);

        for (Map<String, Object> topic : manifests()) {
            Map<?, ?> metadata = (Map<?, ?>) topic.get("metadata");
            assertThat(((Map<?, ?>) metadata.get("labels")).get("strimzi.io/cluster")).as(metadata.get("name").toString())
                    .isEqualTo(cluster);
        }
    }

    /** The consumer groups of the services that bind a stage function (group = the application's name). */
    @SuppressWarnings("unchecked")
    static List<String> consumerGroups() throws IOException {
        List<String> groups = new ArrayList<>();
        for (String service : SERVICES) {
            Map<String, Object> settings = yaml(Files.readString(
                    ROOT.resolve(service + "/src/main/resources/" + service + ".yml"))).get(0);
            Map<String, Object> spring = (Map<String, Object>) settings.get("spring");
            Map<String, Object> cloud = (Map<String, Object>) spring.getOrDefault("cloud", Map.of());
            if (((Map<String, Object>) cloud.getOrDefault("function", Map.of())).get("definition") != null) {
                groups.add((String) ((Map<String, Object>) spring.get("application")).get("name"));
            }
        }
        return groups;
    }

    /** The KafkaTopic manifests' specs by topic name. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> topics() throws IOException {
        Map<String, Map<String, Object>> topics = new LinkedHashMap<>();
        for (Map<String, Object> manifest : manifests()) {
            Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
            String name = (String) spec.getOrDefault("topicName", ((Map<?, ?>) manifest.get("metadata")).get("name"));
            assertThat(topics.put(name, spec)).as("topic %s listed twice", name).isNull();
        }
        return topics;
    }

    static List<Map<String, Object>> manifests() throws IOException {
        return yaml(Files.readString(ROOT.resolve("deploy/k8s/kafka/topics.yaml"))).stream()
                .filter(object -> "KafkaTopic".equals(object.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, Object> spec) {
        return (Map<String, Object>) spec.getOrDefault("config", Map.of());
    }

    static List<Map<String, Object>> yaml(String text) {
        return YamlDocuments.read(text);
    }
}
