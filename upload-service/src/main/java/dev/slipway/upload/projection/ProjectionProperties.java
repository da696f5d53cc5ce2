package dev.slipway.upload.projection;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of upload-service's read models ({@code slipway.upload.projection.*}).
 *
 * @param historyRetention how long push events and the audit trail are kept; unset: as long as the
 *                         event log keeps events (its topic's {@code retention.ms}, read at start)
 * @param expiryInterval   how often events older than that are dropped from the local stores
 * @param recentEvents     the most events this replica keeps of those it published or just read,
 *                         until its stores have them (read-your-writes, live followers)
 * @param recentAge        how long it keeps each of them at most
 * @param forwardTimeout   the longest wait for another replica to start answering a forwarded request
 */
@ConfigurationProperties("slipway.upload.projection")
public record ProjectionProperties(Duration historyRetention,
                                   @DefaultValue("5m") Duration expiryInterval,
                                   @DefaultValue("10000") int recentEvents,
                                   @DefaultValue("2m") Duration recentAge,
                                   @DefaultValue("10s") Duration forwardTimeout) {
}
