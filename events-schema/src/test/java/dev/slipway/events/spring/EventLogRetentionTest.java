package dev.slipway.events.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The event log's retention on a real broker: a service that creates the topic gives it the configured
 * retention; a topic made otherwise keeps its own, and the health says how it differs.
 */
@EmbeddedKafka(partitions = 1)
class EventLogRetentionTest {

    @Test
    void aCreatedEventLogKeepsEventsAsConfiguredAndAnExistingOneIsLeftAsItIsButReported(EmbeddedKafkaBroker broker)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            withoutEventLog(admin);
            EventsProperties twoDays = properties(Duration.ofDays(2));
            new EventLogTopic(admin, twoDays).afterSingletonsInstantiated();

            assertThat(retentionMs(admin)).isEqualTo(String.valueOf(Duration.ofDays(2).toMillis()));
            Health created = new EventLogHealthIndicator(admin, twoDays).health(true);
            assertThat(created.getStatus()).isEqualTo(Status.UP);
            assertThat(created.getDetails()).containsEntry("retention", "172800000 ms (PT48H)")
                    .doesNotContainKey("retentionDiffers");

            // the operator's topic (or one made under an earlier setting) is not altered by a service told otherwise
            EventsProperties oneHour = properties(Duration.ofHours(1));
            new EventLogTopic(admin, oneHour).afterSingletonsInstantiated();

            assertThat(retentionMs(admin)).isEqualTo(String.valueOf(Duration.ofDays(2).toMillis()));
            Health differing = new EventLogHealthIndicator(admin, oneHour).health(true);
            assertThat(differing.getStatus()).isEqualTo(Status.UP);
            assertThat((String) differing.getDetails().get("retentionDiffers"))
                    .contains("keeps events 172800000 ms", "slipway.events.retention is 3600000 ms",
                            "retention.ms=3600000");
        }
    }

    @Test
    void aTopicWithoutItsOwnRetentionShowsTheBrokersDefault(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                broker.getBrokersAsString()))) {
            withoutEventLog(admin);
            assertThat(TopicCreation.createIfMissing(admin, new NewTopic(Topics.EVENTS, 1, (short) 1),
                    Duration.ofSeconds(3))).isTrue();

            Health health = new EventLogHealthIndicator(admin, properties(Duration.ofDays(30))).health(true);

            assertThat(health.getDetails()).containsEntry("retention", "604800000 ms (PT168H)");
            assertThat((String) health.getDetails().get("retentionDiffers")).contains("2592000000 ms");
        }
    }

    @Test
    void aRetentionThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> properties(Duration.ZERO)).hasMessageContaining("slipway.events.retention");
        assertThatThrownBy(() -> properties(Duration.ofDays(-1))).hasMessageContaining("positive");
    }

    private static EventsProperties properties(Duration retention) {
        return new EventsProperties(1, (short) -1, Duration.ofSeconds(5), Duration.ofSeconds(5), retention);
    }

    private static void withoutEventLog(Admin admin) throws Exception {
        if (admin.listTopics().names().get().contains(Topics.EVENTS)) {
            admin.deleteTopics(List.of(Topics.EVENTS)).all().get();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !admin.listTopics().names().get().contains(Topics.EVENTS));
    }

    private static String retentionMs(Admin admin) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS);
        return admin.describeConfigs(List.of(topic)).all().get().get(topic).get(TopicConfig.RETENTION_MS_CONFIG).value();
    }
}
