package dev.slipway.events.spring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the event log shared by every service ({@code slipway.events.*}).
 *
 * @param partitions        partitions of the events topic when a service creates it
 * @param replicationFactor replicas of the events topic; -1 takes the broker's default
 * @param healthTimeout     how long the health check waits for the broker
 */
@ConfigurationProperties("slipway.events")
public record EventsProperties(@DefaultValue("6") int partitions, @DefaultValue("-1") short replicationFactor,
                               @DefaultValue("3s") Duration healthTimeout) {
}
