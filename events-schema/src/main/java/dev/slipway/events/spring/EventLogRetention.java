package dev.slipway.events.spring;

import dev.slipway.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The events topic's retention as the broker applies it ({@code retention.ms}, the topic's own or the
 * broker's default), beside the one configured ({@code slipway.events.retention}).
 */
final class EventLogRetention {

    private final Admin admin;
    private final EventsProperties properties;

    EventLogRetention(Admin admin, EventsProperties properties) {
        this.admin = admin;
        this.properties = properties;
    }

    Duration configured() {
        return properties.retention();
    }

    /** The topic's retention; -1 ms means it keeps events for ever. */
    Duration actual() throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.EVENTS);
        Config config = admin.describeConfigs(List.of(topic)).all()
                .get(properties.healthTimeout().toMillis(), TimeUnit.MILLISECONDS).get(topic);
        ConfigEntry entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
        return Duration.ofMillis(Long.parseLong(entry.value()));
    }

    /** Empty when the topic keeps events as configured, else what an operator should know. */
    String difference(Duration actual) {
        if (actual.equals(configured())) {
            return "";
        }
        return "topic " + Topics.EVENTS + " keeps events " + describe(actual) + " but slipway.events.retention is "
                + describe(configured()) + "; it was created otherwise or altered, and is left as it is: change "
                + "either (kafka-configs --alter --entity-type topics --entity-name " + Topics.EVENTS
                + " --add-config retention.ms=" + configured().toMillis() + ")";
    }

    static String describe(Duration retention) {
        return retention.isNegative() ? "for ever" : retention.toMillis() + " ms (" + retention + ")";
    }
}
