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
 * @param consumerStopTimeout how long stopping a service waits for each consumer to finish the record
 *                          in hand; a record not finished by then is not committed and comes again
 *                          on the next start (at-least-once), so waiting longer only delays the stop
 * @param retention         how long the events topic keeps an event ({@code retention.ms}) when a service
 *                          creates it; 30 days leaves a month to replay a failed push or read its events,
 *                          while what must outlive the log (apps, routes, releases, quota, push states)
 *                          lives in compacted topics. An existing topic is never altered: one whose
 *                          retention differs is reported in the log and in the {@code eventLog} health
 */
@ConfigurationProperties("slipway.events")
public record EventsProperties(@DefaultValue("6") int partitions, @DefaultValue("-1") short replicationFactor,
                               @DefaultValue("3s") Duration healthTimeout,
                               @DefaultValue("5s") Duration consumerStopTimeout,
                               @DefaultValue("30d") Duration retention) {

    public EventsProperties {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("slipway.events.retention must be a positive duration such as 30d, was "
                    + retention);
        }
    }
}
